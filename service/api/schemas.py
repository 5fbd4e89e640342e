"""The API's request bodies and error shape (responses reuse the manager's models)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

__all__ = ["MAX_TEXT", "ErrorBody", "ErrorResponse", "MessageIn"]

MAX_TEXT = 1000


class MessageIn(BaseModel):
    """A customer message: 1 to 1000 characters once leading and trailing spaces are trimmed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "arrive Taipei on Nov. 2nd"}]})

    text: Annotated[StrictStr, Field(description=f"1 to {MAX_TEXT} characters once trimmed")]

    @field_validator("text")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        trimmed = value.strip()
        if not trimmed:
            raise ValueError("text is empty: write a message")
        if len(trimmed) > MAX_TEXT:
            raise ValueError(f"text is {len(trimmed)} characters long; the most is {MAX_TEXT}")
        if any(ord(c) < 32 and c not in "\t\n\r" for c in trimmed) or "\x7f" in trimmed:
            raise ValueError("text holds control characters")
        return trimmed


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_request, not_found, rate_limited.")
    message: str = Field(description="What was wrong, in words.")


class ErrorResponse(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorBody
