"""The tables of the event store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

These are the live shapes the queries use; the tables themselves are made by the
named migrations (``migrations.py``; ``m0001_initial.py`` is the first release,
frozen). Keys are strings derived from content, never database sequences: an article's id
is a hash of its text (or URL), an event's id that of its first report. Two runs
over the same input therefore write byte-identical rows, whatever was killed or
retried in between, and on either backend.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from allegiance.records import EVENT_COLUMNS

__all__ = ["actor_days", "actors", "alerts", "articles", "events", "lsh_bands", "mentions",
           "metadata", "migrations_table", "sentences"]

metadata = MetaData()

migrations_table = Table(
    "schema_migrations", metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("url", Text, unique=True),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", String(10), index=True),  # ISO date
    Column("language", String(8)),
    Column("text_hash", String(64), unique=True),  # NULL for foreign coders' URL-only rows
    Column("duplicate_of", String(32), ForeignKey("articles.id")),
    Column("source_id", Text, index=True),  # the source's id (file, JSONL id, link)
    Column("origin", Text),  # where it was read from: a path, a feed, "gdelt"
    Column("text", Text),
    Column("n_sentences", Integer, nullable=False, default=0),
    Column("coded", Boolean, nullable=False, default=False),
)

# MinHash LSH keys of original articles (see store/dedupe.py): a new article sharing a
# key in any band is a candidate near-copy.
lsh_bands = Table(
    "lsh_bands", metadata,
    Column("band", Integer, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id"), primary_key=True),
    Index("ix_lsh_bands_key", "key"),
)

sentences = Table(
    "sentences", metadata,
    Column("article_id", String(32), ForeignKey("articles.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("code", String(64), primary_key=True),
    Column("country", String(8)),
    Column("agent", String(8)),
    Column("name", Text),
)

# Rule matches of alerts files (records.Alert; analysis/alerts.py), added by 0003.
alerts = Table(
    "alerts", metadata,
    Column("id", String(40), primary_key=True),
    Column("rule", Text, nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("source", String(16)),
    Column("target", String(16)),
    Column("date", String(10)),
    Column("message", Text, nullable=False),
    Column("event_id", String(40)),
    Column("cameo", String(8)),
    Column("score", Float),
    Column("mentions", Integer),
    Column("url", Text),
    Column("raised_at", String(32), nullable=False, index=True),
)

_TYPES: dict[str, type[TypeEngine[Any]]] = {
    "str": Text, "int": Integer, "float": Float, "bool": Boolean,
}


def _event_columns() -> list[Column[Any]]:
    """The columns of StoredEvent (records.EVENT_COLUMNS): one definition of an event row."""
    columns: list[Column[Any]] = []
    for name, kind, nullable in EVENT_COLUMNS:
        if name == "id":
            columns.append(Column("id", String(40), primary_key=True))
        elif name == "article_id":
            columns.append(Column(name, String(32), ForeignKey("articles.id")))
        else:
            columns.append(Column(name, _TYPES[kind](), nullable=nullable))
    return columns


# The live shape of the events table, for queries and inserts. Its columns come from
# StoredEvent, so a new event field is one edit there plus a migration that adds the
# column (store/migrations.py); the store-only columns are these two.
events = Table(
    "events", metadata,
    *_event_columns(),
    # Reports of one action share this key (coder, dyad, root, polarity); a time
    # window on `date` then decides whether a new report is the same event.
    Column("merge_key", String(200), nullable=False),
    Column("last_date", String(10)),  # the latest report's date: the merge window slides
    # Who each side is (ontology.actors.actor_key: VENGOV -> VEN), for the analyses'
    # grouping and lookups; written with the row (store_columns), added by 0002.
    Column("source_key", String(16)),
    Column("target_key", String(16)),
    Index("ix_events_merge", "coder", "merge_key", "date"),
    # What a window of days is summed from, read from the index alone (0004).
    Index("ix_events_day", "date", "source_key", "target_key", "coder", "mode", "negated",
          "goldstein", "quad", "plover", "num_mentions"),
    Index("ix_events_source", "source_country", "target_country"),
    Index("ix_events_cameo", "cameo"),
    # ix_events_page (date DESC [NULLS LAST], id) is made by migration 0002, in SQL:
    # its direction differs between the backends.
    Index("ix_events_source_key", "source_key", "target_key", "date", "coder", "mode",
          "negated", "goldstein", "quad", "plover", "num_mentions"),
    Index("ix_events_target_key", "target_key", "source_key", "date", "coder", "mode",
          "negated", "goldstein", "quad", "plover", "num_mentions"),
)

# Analysed events (asserted, reported, future; not negated) per coder, actor key and day,
# each event once: the actors' news volume (store/rollup.py keeps it; added by 0002).
actor_days = Table(
    "actor_days", metadata,
    Column("coder", String(40), primary_key=True),
    Column("actor_key", String(16), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("events", Integer, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", String(40), primary_key=True),
    Column("event_id", String(40), ForeignKey("events.id"), nullable=False, index=True),
    Column("article_id", String(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("coder_event_id", Text),  # the coder's own id: dyads of one action share it
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("source_start", Integer), Column("source_end", Integer),
    Column("target_start", Integer), Column("target_end", Integer),
    Column("trigger_start", Integer), Column("trigger_end", Integer),
    Column("mode", String(16)),
    Column("negated", Boolean),
    Column("date", String(10)),
    Column("confidence", Float),
    Column("publisher", Text),  # copied from the article: num_sources counts these
)
