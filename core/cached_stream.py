"""A streamed text body kept in Django's cache for a while, without ever holding it whole in
memory: the first request streams it from its source and records it in blocks of about
BLOCK_CHARACTERS; the next requests within ``timeout`` seconds stream the blocks back."""

import uuid
from collections.abc import Callable, Iterable, Iterator

from django.core.cache import cache

BLOCK_CHARACTERS = 1024 * 1024
# Blocks outlive the entry that lists them, so that a reader who found the entry finds them.
BLOCK_GRACE_SECONDS = 60


def cached_pieces(
    key: str,
    produce: Callable[[], Iterable[str] | None],
    *,
    timeout: int,
    block_characters: int = BLOCK_CHARACTERS,
) -> Iterator[str] | None:
    """The body's pieces, from the cache when a complete copy is there, otherwise from
    ``produce()`` (recorded as they are streamed; only a body streamed to its end is kept).
    None when ``produce()`` returns None (there is nothing to show), which is kept too."""
    entry = cache.get(key)
    if entry is not None:
        if entry["blocks"] is None:
            return None
        block_keys = [_block_key(key, entry["run"], number) for number in range(entry["blocks"])]
        if all(cache.has_key(block_key) for block_key in block_keys):
            return (cache.get(block_key) for block_key in block_keys)
    pieces = produce()
    if pieces is None:
        cache.set(key, {"run": None, "blocks": None}, timeout)
        return None
    return _recorded(key, pieces, timeout, block_characters)


def _recorded(
    key: str, pieces: Iterable[str], timeout: int, block_characters: int
) -> Iterator[str]:
    run = uuid.uuid4().hex
    blocks, buffer, size = 0, [], 0
    for piece in pieces:
        yield piece
        buffer.append(piece)
        size += len(piece)
        if size >= block_characters:
            cache.set(_block_key(key, run, blocks), "".join(buffer), timeout + BLOCK_GRACE_SECONDS)
            blocks, buffer, size = blocks + 1, [], 0
    if buffer:
        cache.set(_block_key(key, run, blocks), "".join(buffer), timeout + BLOCK_GRACE_SECONDS)
        blocks += 1
    cache.set(key, {"run": run, "blocks": blocks}, timeout)


def _block_key(key: str, run: str, number: int) -> str:
    return f"{key}:{run}:{number}"


def forget(key: str) -> None:
    """Drop the cached copy with its blocks at once (not only the entry that lists them): what
    they hold may have been erased. A reader streaming that copy just then breaks off; the
    next request streams it anew."""
    entry = cache.get(key) or {}
    blocks = [_block_key(key, entry["run"], n) for n in range(entry.get("blocks") or 0)]
    cache.delete_many([key, *blocks])
