"""``python -m model train ...``: the tagger's commands without the service's (``model.cli``)."""

from model.cli import app

app()
