"""Bytes <-> records: every reader and writer ``code``, ``ingest``, ``events`` and
``export`` share. Imports only records, errors and ontology.

Readers (each yields a record or an InputError naming where, and goes on):

    jsonl.py     JSON Lines records (the contract's input)
    articles.py  plain .txt, .md and .html article files
    files.py     files, folders and glob patterns -> RawArticle, by suffix (.csv rows too)
    gdelt.py     GDELT 2.0 event and mentions files (and the GDELT writer)

Writers:

    coded.py     events as ``allegiance code`` writes them: jsonl, csv, table
    flat.py      stored events as flat rows: csv, parquet, pandas
    plover.py    PLOVER JSON
    export.py    ``allegiance export``: one call, any format
"""
