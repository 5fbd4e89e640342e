"""Print the README's table of ``TICKETBOT_*`` settings, made from ``service.settings.Settings``.

    python deploy/settings_table.py           # print the Markdown table
    python deploy/settings_table.py --write   # replace the table in README.md

The README's copy is checked against this output by ``tests/deploy/test_readme.py``, so a
setting added to ``Settings`` without a README update fails the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- settings-table:start (python deploy/settings_table.py --write) -->"
END = "<!-- settings-table:end -->"

__all__ = ["END", "START", "render", "settings_table"]


def _default(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, list):
        return "`" + ",".join(map(str, value)) + "`" if value else "empty"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def settings_table() -> str:
    """One row per setting: the variable, its default, what it does (the field's description)."""
    from service.settings import Settings

    prefix = Settings.model_config.get("env_prefix", "")
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        description = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{prefix}{name.upper()}` | {_default(field.default)} | {description} |")
    return "\n".join(rows) + "\n"


def render(readme: str) -> str:
    """``readme`` with the text between the markers replaced by the current table."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md lacks the markers {START!r} and {END!r}")
    return f"{head}{START}\n{settings_table()}{END}{tail}"


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        readme = ROOT / "README.md"
        readme.write_text(render(readme.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.write(settings_table())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # the checkout's Settings, wherever the script is run from
    raise SystemExit(main(sys.argv[1:]))
