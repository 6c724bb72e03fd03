"""Migration ``0001_initial``: the tables as first released, frozen.

This is a copy of the schema as it stood when the store was released, not a view of
``schema.py``: the live schema may grow (each change is a later migration that
alters these tables), while a new store is always built by replaying the same steps
an old one went through. Never edit this file.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["apply"]

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

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("coder", String(32), nullable=False),
    Column("coder_version", String(32), nullable=False),
    # Reports of one action share this key (coder, dyad, root, polarity); a time
    # window on `date` then decides whether a new report is the same event.
    Column("merge_key", String(200), nullable=False),
    Column("source_code", String(64)), Column("source_country", String(8)),
    Column("source_agent", String(8)), Column("source_text", Text),
    Column("source_start", Integer), Column("source_end", Integer),
    Column("target_code", String(64)), Column("target_country", String(8)),
    Column("target_agent", String(8)), Column("target_text", Text),
    Column("target_start", Integer), Column("target_end", Integer),
    Column("cameo", String(4), nullable=False),
    Column("root", String(2), nullable=False),
    Column("plover", String(32)),
    Column("quad", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("date", String(10)),
    Column("location", Text),
    Column("confidence", Float),
    Column("article_id", String(32), ForeignKey("articles.id")),
    Column("sentence", Text),
    Column("sentence_start", Integer),
    Column("trigger_text", Text), Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("num_mentions", Integer, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("num_articles", Integer, nullable=False),
    Column("last_date", String(10)),  # the latest report's date: the merge window slides
    Index("ix_events_merge", "coder", "merge_key", "date"),
    Index("ix_events_date", "date"),
    Index("ix_events_source", "source_country", "target_country"),
    Index("ix_events_cameo", "cameo"),
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


def apply(conn: Connection) -> None:
    tables = [t for t in metadata.sorted_tables if t is not migrations_table]
    metadata.create_all(conn, tables=tables)
