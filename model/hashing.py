"""Word hashing as the lecture defines it: letter trigrams with boundary marks.

``apple`` -> ``#ap app ppl ple le#``. Each trigram is hashed into one of a fixed number
of buckets with CRC-32, which (unlike Python's ``hash``) is the same in every process,
so a checkpoint's hash features mean the same thing wherever it is loaded.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

__all__ = ["letter_trigrams", "trigram_buckets"]


def letter_trigrams(word: str) -> list[str]:
    """The word's letter trigrams, with ``#`` marking its start and end."""
    marked = f"#{word}#"
    if len(marked) < 3:
        return [marked]
    return [marked[i : i + 3] for i in range(len(marked) - 2)]


@lru_cache(maxsize=65536)
def trigram_buckets(word: str, buckets: int) -> tuple[int, ...]:
    """Distinct bucket ids in ``1..buckets`` (0 is kept for padding) of the word's trigrams."""
    ids = (zlib.crc32(t.encode("utf-8", "surrogatepass")) % buckets + 1 for t in letter_trigrams(word))
    return tuple(dict.fromkeys(ids))
