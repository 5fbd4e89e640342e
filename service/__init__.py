"""ticketbot's service side: the command line, the dialogue and its storage.

* ``service.dialogue``: the booking form, the pure policy ``next_turn`` and its helpers
  (places, dates, understanding); no I/O.
* ``service.storage``: SQLAlchemy tables, engines, repository functions, migrations.
* ``service.manager``: the tagger, the policy and the storage, one transaction per turn.
* ``service.settings``: the one ``Settings`` (``TICKETBOT_*``); ``service.errors``: the
  one exception hierarchy; ``service.cli``: the ``ticketbot`` command (the tagger's own
  commands come from ``model.cli``).
"""
