"""Reading news from where it lives, for ``allegiance ingest``.

    items.py   RawArticle: what every source yields (or an InputError)
    files.py   .txt .md .html .jsonl .csv files, folders and glob patterns
    fetch.py   the HTTP fetcher (one narrow interface, HttpFetcher and FakeFetcher)
    web.py     web pages and RSS/Atom feeds by URL
    watch.py   --watch: polling feeds on a schedule
    dedup.py   new, duplicate or syndicated copy, decided in input order
    run.py     the driver: sources -> dedup -> coding -> store, with a summary
    api.py     ingest(): the library call behind the command
"""

from __future__ import annotations

import sys
import types
from typing import Any

from allegiance._lazy import lazy_getattr

# Loaded on first use, so `import allegiance.ingest.fetch` does not pull in SQLAlchemy.
_EXPORTS = {
    "FakeFetcher": "allegiance.ingest.fetch",
    "FetchConfig": "allegiance.ingest.fetch",
    "Fetcher": "allegiance.ingest.fetch",
    "HttpFetcher": "allegiance.ingest.fetch",
    "IngestOptions": "allegiance.ingest.api",
    "IngestSummary": "allegiance.ingest.run",
    "RawArticle": "allegiance.records",
    "SourceItem": "allegiance.records",
    "ingest": "allegiance.ingest.api",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr("allegiance.ingest", _EXPORTS)


class _IngestPackage(types.ModuleType):
    """This package, callable as the :func:`~allegiance.ingest.api.ingest` function.

    ``allegiance.ingest`` names both this package and the function (``from allegiance
    import ingest``). Once any ``allegiance.ingest.*`` module is imported, Python binds
    the package to that name; calling it still ingests, so the public name means one
    thing whatever was imported first.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from allegiance.ingest.api import ingest

        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _IngestPackage
