"""What the benchmark customers say: shared by ``locustfile.py`` and ``turn_cost.py``.

A module of its own because importing the locustfile imports locust, which patches the
standard library for gevent; both scripts find it beside them on ``sys.path``.
"""

CITIES = ["boston", "denver", "taipei", "san francisco", "chicago", "seattle", "atlanta", "miami", "dallas"]
MONTHS = ["january", "february", "march", "april", "may", "june"]
