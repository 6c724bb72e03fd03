"""pandas DataFrames of stored events, for notebooks::

    from allegiance import events_frame
    df = events_frame(dyad="VEN-*", since="2026-01-01")   # the default store
    df = events_frame(store, country="VEN")               # an open Store, or a URL
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allegiance.formats.flat import events_to_frame
from allegiance.store.query import EventFilter
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["events_frame"]


def events_frame(db: str | Store | None = None, *, order: str = "date", limit: int | None = None,
                 **filters: Any) -> pd.DataFrame:
    """Events as a DataFrame; ``filters`` are :class:`EventFilter` fields (``modes=(...)``).

    ``db``: a store URL, an open :class:`Store`, or None for the default store.
    """
    where = EventFilter(**filters)
    if isinstance(db, Store):
        return events_to_frame(db.events(where, order=order, limit=limit))
    with Store(db, create=False) as store:
        return events_to_frame(store.events(where, order=order, limit=limit))
