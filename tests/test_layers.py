"""The layers hold: ``lint-imports`` (import-linter) checks the contracts in pyproject.toml.

The tagger library never imports the service; the dialogue never imports storage, the API
or a web or database framework; storage never imports the API. The second test shows the
linter really refuses a broken contract, on a two-package tree of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(found).exists():
        pytest.fail("lint-imports is not installed: install the project's test extras", pytrace=False)
    return found


def test_the_import_contracts_are_kept() -> None:
    completed = subprocess.run(
        [_lint_imports(), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "3 kept, 0 broken" in completed.stdout, completed.stdout


def test_a_broken_contract_is_refused(tmp_path: Path) -> None:
    for package, body in (("model", "from service import helper\n"), ("service", "")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(body)
    (tmp_path / "service" / "helper.py").write_text("")
    config = ROOT / "pyproject.toml"
    completed = subprocess.run(
        [_lint_imports(), "--no-cache", str(config), "--contract", "tagger-independent"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )  # fmt: skip
    assert completed.returncode != 0
    assert "BROKEN" in completed.stdout and "model -> service" in completed.stdout, completed.stdout
