"""The commands that judge recipes: reproduce, cv (cross-validation) and probe.

They join ``model.cli``'s app (``ticketbot reproduce ...``), which imports this module
once its own commands and helpers exist. As there, heavy imports wait inside the commands.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .cli import DeviceOption, app, console
from .cli_options import fail

__all__: list[str] = []  # commands only, registered on model.cli.app


@app.command()
def reproduce(
    recipe: Annotated[Path, typer.Option("--config", help="The recipe to retrain from.", exists=True, dir_okay=False)],
    against: Annotated[
        Path | None, typer.Option("--against", help="The checkpoint to reproduce; default: the bundled model.")
    ] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", min=0.0, help="Percentage points each dev figure may differ by (0: exact).")
    ] = 0.0,
    threads: Annotated[
        int | None,
        typer.Option("--threads", min=1, help="CPU threads; default: the count the reference card records, if any."),
    ] = None,
    work: Annotated[
        Path | None, typer.Option("--work", help="Folder for the retrained checkpoint and the report (kept).")
    ] = None,
    device: DeviceOption = "cpu",
) -> None:
    """Retrain from a recipe and compare the dev figures with the reference card's.

    Exits 0 when every figure is within the tolerance, 1 when not; the report says whether the
    weights came out identical and which recorded versions, thread counts or lists differed.
    """
    from model import CheckpointError, bundled_model_path, load_checkpoint
    from model.reproduce import compare

    reference_path = against or bundled_model_path()
    try:
        reference = load_checkpoint(reference_path)
    except CheckpointError as error:
        raise fail(str(error)) from error
    if threads is None:
        threads = (reference.card.get("environment") or {}).get("threads")
    folder = work or Path(tempfile.mkdtemp(prefix="reproduce-"))
    folder.mkdir(parents=True, exist_ok=True)
    retrained_path = folder / "retrained.pt"
    command = [sys.executable, "-m", "model", "train", "--config", str(recipe), "--out", str(retrained_path)]
    command += ["--device", device, *([] if threads is None else ["--threads", str(threads)])]
    console.print(f"retraining: {' '.join(command[2:])}", highlight=False)
    if subprocess.run(command, check=False).returncode != 0:
        raise fail("retraining failed (its error is above)")
    try:
        comparison = compare(reference, load_checkpoint(retrained_path), tolerance)
    except (CheckpointError, ValueError) as error:
        raise fail(str(error)) from error
    table = Table("dev figure", "card", "retrained", "difference", box=None, header_style="bold")
    for row in comparison.rows:
        table.add_row(row.figure, f"{row.card:.2f}", f"{row.retrained:.2f}", f"{row.difference:+.2f}")
    console.print(table)
    for key, (was, now) in comparison.differences.items():
        console.print(f"  differs: {key}: {was} (reference) vs {now} (retrained)", highlight=False)
    report = {"recipe": str(recipe), "reference": str(reference_path), "retrained": str(retrained_path)}
    (folder / "reproduce.json").write_text(json.dumps({**report, **comparison.to_dict()}, indent=1) + "\n")
    verdict = "exactly" if comparison.exact else f"within {tolerance:g} points" if comparison.reproduced else "NOT"
    weights = {True: "identical", False: "different", None: "of another shape"}[comparison.weights_identical]
    console.print(f"reproduced {verdict}; weights {weights}; report {folder / 'reproduce.json'}", highlight=False)
    if not comparison.reproduced:
        raise typer.Exit(code=1)
