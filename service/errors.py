"""One exception hierarchy for the service, so that callers (the CLI, the API) catch ``ServiceError``.

Each class names a situation a caller answers differently: an unknown conversation or
booking (404, with no hint whether it exists), a reused idempotency key (409 or 422), a
database that is unavailable or too busy (503, retry later).
"""

from __future__ import annotations

__all__ = [
    "BookingNotFound",
    "CommitOutcomeUnknown",
    "ConversationNotFound",
    "IdempotencyKeyReused",
    "ServiceError",
    "StateError",
    "StorageUnavailable",
]


class ServiceError(Exception):
    """Base class of every error the service raises on purpose."""


class ConversationNotFound(ServiceError):
    """No such conversation, or the token does not open it: deliberately the same error."""


class BookingNotFound(ServiceError):
    """No such booking, or the caller's conversation did not make it: deliberately the same error."""


class IdempotencyKeyReused(ServiceError):
    """The idempotency key was already used in this conversation for a different message."""


class StateError(ServiceError):
    """A conversation's stored state cannot be read (written by an incompatible version)."""


class StorageUnavailable(ServiceError):
    """The database cannot be reached, or stayed busy through every retry; nothing was written."""


class CommitOutcomeUnknown(StorageUnavailable):
    """The connection died while the database was committing: the turn may or may not be saved.

    Never retried here (a turn replayed after a commit that did land would be applied twice);
    the client resends with the same Idempotency-Key, which returns the stored answer if the
    commit landed and runs the turn if it did not.
    """
