"""The API's request bodies and error shape (responses reuse the manager's models)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

__all__ = ["MAX_TEXT", "ErrorBody", "ErrorResponse", "MessageIn"]

MAX_TEXT = 1000


_SPACE = " \t\n\r"
# What the validator accepts, written out for the OpenAPI document: after trimming spaces,
# tabs and newlines, 1 to MAX_TEXT characters, with no control characters but tab and newline
# (C0, DEL and C1: U+0000-U+001F, U+007F-U+009F).
TEXT_PATTERN = (
    r"^[ \t\n\r]*[^ \t\n\r\x00-\x1f\x7f-\x9f]"
    rf"(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]{{0,{MAX_TEXT - 2}}}[^ \t\n\r\x00-\x1f\x7f-\x9f])?[ \t\n\r]*$"
)
_TEXT = re.compile(TEXT_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# JSON can spell a lone UTF-16 surrogate ("\\ud800"); it is no character, cannot be stored or tagged
_SURROGATE = re.compile("[\ud800-\udfff]")


class MessageIn(BaseModel):
    """A customer message: 1 to 1000 characters once leading and trailing spaces are trimmed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "arrive Taipei on Nov. 2nd"}]})

    text: Annotated[
        StrictStr,
        Field(
            description=f"1 to {MAX_TEXT} characters once trimmed; no control characters",
            json_schema_extra={"pattern": TEXT_PATTERN},
        ),
    ]

    @field_validator("text")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        trimmed = value.strip(_SPACE)
        if not trimmed:
            raise ValueError("text is empty: write a message")
        if _CONTROL.search(value):
            raise ValueError("text holds control characters")
        if _SURROGATE.search(value):
            raise ValueError("text is not valid Unicode: it holds a lone surrogate")
        if len(trimmed) > MAX_TEXT:
            raise ValueError(f"text is {len(trimmed)} characters long; the most is {MAX_TEXT}")
        if not _TEXT.match(value):  # pragma: no cover - the checks above are the pattern, spelled out
            raise ValueError("text is not a valid message")
        return trimmed


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_request, not_found, rate_limited.")
    message: str = Field(description="What was wrong, in words.")


class ErrorResponse(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorBody
