"""The package's public surface: ``__all__`` resolves, heavy modules load on first use, and
``model`` stands alone (it never imports ``service``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import model

MODEL = Path(model.__file__).parent


def test_every_public_name_resolves() -> None:
    for name in model.__all__:
        assert getattr(model, name) is not None, name
    assert set(model.__all__) <= set(dir(model))
    from model.tokenize import tokenize

    assert model.tokenize is tokenize  # the function, not the submodule of the same name


def test_importing_the_package_and_its_cli_loads_no_pytorch() -> None:
    code = "import sys, model, model.cli; model.TrainConfig(); assert 'torch' not in sys.modules, 'torch loaded'"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr


def test_model_never_imports_service() -> None:
    for path in MODEL.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+service\b", text, re.MULTILINE), path
