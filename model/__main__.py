"""``python -m model train ...``: the tagger's commands without the service's (``model.cli``)."""

from model.cli import app

if __name__ == "__main__":  # not when `cv --jobs` spawns a worker, which imports this module again
    app()
