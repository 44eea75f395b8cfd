"""Looking for a person everywhere: every column of every table, every stored file, the
cache."""

import json
import pathlib
import pickle

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def database_mentions(*needles) -> list[str]:
    """``table.column: value`` of every cell (of every table) that contains a needle,
    ignoring case. JSON is compared as written, and as JSON escapes it."""
    spellings = {needle.lower() for needle in needles}
    spellings |= {json.dumps(needle)[1:-1].lower() for needle in needles}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the database)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = (
                        value.decode(errors="replace") if isinstance(value, bytes) else str(value)
                    )
                    if any(spelling in text.lower() for spelling in spellings):
                        found.append(f"{table}.{column}: {text[:120]}")
    return found


def file_mentions(*needles) -> list[str]:
    root = pathlib.Path(settings.PRIVATE_MEDIA_ROOT)
    found = []
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file():
            content = path.read_bytes().decode(errors="replace").lower()
            if any(needle.lower() in content for needle in needles):
                found.append(str(path.relative_to(root)))
    return found


def cache_mentions(*needles) -> list[str]:
    """Keys and values in the cache (the tests' local-memory cache) that contain a needle,
    ignoring case: cached public pages, open data, anything else kept there."""
    store = cache._cache  # noqa: SLF001 (LocMemCache keeps pickled values in a dict)
    found = []
    for key, value in list(store.items()):
        text = f"{key} {pickle.loads(value)!r}".lower()  # noqa: S301 (our own cache)
        if any(needle.lower() in text for needle in needles):
            found.append(key)
    return found
