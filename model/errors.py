"""One exception hierarchy for the tagger library, so callers catch ``TaggerError``."""

from __future__ import annotations

__all__ = ["CheckpointError", "DataFormatError", "FoldsError", "MissingPackage", "TaggerError"]


class TaggerError(Exception):
    """Base class of every error the tagger library raises on purpose."""


class DataFormatError(TaggerError):
    """A dataset file is missing, misaligned or malformed; the message names file and line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class CheckpointError(TaggerError):
    """A checkpoint file cannot be read, or was written by an incompatible format version."""


class FoldsError(TaggerError):
    """Cross-validation folds cannot be read, or were made for other data than they are applied to."""


class MissingPackage(TaggerError):
    """A feature needs a package that is not installed in this environment; says what to install."""

    def __init__(self, feature: str, requirement: str) -> None:
        super().__init__(
            f"{feature} needs the package {requirement!r}, a dependency of ticketbot missing from this "
            f"environment: pip install '{requirement}' (or reinstall ticketbot: pip install -e .)"
        )
        self.requirement = requirement
