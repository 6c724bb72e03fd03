"""Local files and directories as raw articles: .txt, .md, .html, .jsonl and .csv.

:func:`iter_paths` expands what the user named (files, directories walked
recursively, glob patterns) into file paths; :func:`iter_file` reads one file
into :class:`~allegiance.records.RawArticle` records; :func:`iter_files`
chains the two. Nothing here raises for bad input: an unreadable file, an HTML
page with no article text, a CSV without the text column, a line or file over
the size limits each becomes an :class:`~allegiance.errors.InputError` naming
the file (and line or row) and the reason, and the rest of the batch goes on.

Include and exclude patterns are matched against the path relative to the
directory given, with ``/`` as separator: a pattern without ``/`` (``*.html``,
``drafts``) matches any one part of that path, a pattern with ``/``
(``2025/**/*.txt``) matches from the start of it; ``*`` stays within one
directory, ``**`` spans any number of them, and a pattern that matches a
directory takes in everything below it.
"""

from __future__ import annotations

import codecs
import csv
import glob
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from allegiance.errors import InputError
from allegiance.formats.articles import ARTICLE_SUFFIXES, read_article_file
from allegiance.formats.jsonl import MAX_LINE_BYTES, read_jsonl
from allegiance.records import RawArticle, SourceItem, parse_date

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CsvColumns",
    "FileOptions",
    "is_url",
    "iter_file",
    "iter_files",
    "iter_paths",
]

SUPPORTED_SUFFIXES = (*ARTICLE_SUFFIXES, ".jsonl", ".csv")
_SUPPORTED_TEXT = ".txt .md .html .jsonl .csv"
_GLOB_CHARS = frozenset("*?[")
# A file whose first bytes hold a NUL is binary (an image, a zip, a database), not text.
_SNIFF_BYTES = 8192
# Stands in for a CSV line that was too long or not UTF-8, so the reader keeps its row count.
_BAD_LINE = "\ue000\n"
_CSV_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class CsvColumns:
    """Names of the CSV columns to read; only ``text`` must exist.

    A missing ``id`` column (or an empty cell) falls back to ``file name:row``.
    Names match exactly, or else ignoring case and surrounding spaces.
    """

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "date"
    url: str = "url"
    publisher: str = "publisher"


@dataclass(frozen=True, slots=True)
class FileOptions:
    """How to find and read local files.

    ``include``: glob patterns a file in a directory must match (empty: every
    supported file); ``exclude``: patterns that drop a file. ``max_file_bytes``
    bounds .txt, .md and .html files, which are read whole; .jsonl and .csv are
    streamed, so there the bound is per line or row (``MAX_LINE_BYTES``).
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    csv: CsvColumns = CsvColumns()
    max_file_bytes: int = 50_000_000


def is_url(source: str) -> bool:
    """Whether a source names a web page (http or https) rather than a local path."""
    return source.strip().lower().startswith(("http://", "https://"))


def iter_files(
    sources: Iterable[str], options: FileOptions | None = None
) -> Iterator[SourceItem]:
    """Every article (or error) in the files, directories and glob patterns named."""
    options = options or FileOptions()
    for item in iter_paths(sources, options):
        if isinstance(item, InputError):
            yield item
        else:
            yield from iter_file(item, options)


# --- finding files --------------------------------------------------------------------------


def iter_paths(
    sources: Iterable[str], options: FileOptions | None = None
) -> Iterator[Path | InputError]:
    """The files each source names, in order; an error for a source that names none.

    A file is taken as given, whatever its suffix (reading it says if it is not
    supported). A directory is walked recursively and sorted, keeping supported
    files that pass the include/exclude patterns and skipping hidden files and
    directories. A source with ``*``, ``?`` or ``[`` is a glob pattern (``**``
    spans directories); directories it matches are walked as above.
    """
    options = options or FileOptions()
    for source in sources:
        path = Path(source)
        if not source.strip():
            # Path("") is the current directory: reading all of it is never what was meant.
            yield InputError("empty path", where=repr(source))
        elif path.is_dir():
            yield from _walk_source(path, source, options)
        elif path.exists() or path.is_symlink():
            yield path
        elif _GLOB_CHARS & set(source):
            yield from _glob_source(source, options)
        else:
            yield InputError("no such file or directory", where=source)


def _glob_source(pattern: str, options: FileOptions) -> Iterator[Path | InputError]:
    """Files a glob pattern matches (directories walked), kept like a directory's files."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield InputError("pattern matched no files", where=pattern)
        return
    base = _glob_base(pattern)
    errors: list[OSError] = []
    # dict, not set: ordered, and data/** matches data/ and each file below it too.
    found: dict[Path, None] = {}
    for match in map(Path, matches):
        if match.is_dir():
            found.update(dict.fromkeys(_walk(match, options, errors, base=base)))
        elif match.suffix.lower() in SUPPORTED_SUFFIXES and _selected(
            _relative(match, base), options
        ):
            found[match] = None
    for err in errors:
        yield InputError(f"cannot read directory ({err.strerror})", where=err.filename or pattern)
    yield from found
    if not found and not errors:
        yield InputError(f"pattern matched no files {_wanted(options)}", where=pattern)


def _glob_base(pattern: str) -> Path:
    """The directories of a pattern before its first wildcard: ``data`` of ``data/*/a.txt``."""
    parts = Path(pattern).parts
    fixed = itertools.takewhile(lambda part: not _GLOB_CHARS & set(part), parts[:-1])
    return Path(*fixed) if parts else Path()


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _wanted(options: FileOptions) -> str:
    if options.include or options.exclude:
        return "matching the include/exclude patterns"
    return f"of the types allegiance reads ({_SUPPORTED_TEXT})"


def _walk_source(root: Path, source: str, options: FileOptions) -> Iterator[Path | InputError]:
    errors: list[OSError] = []
    found = _walk(root, options, errors)
    for err in errors:
        yield InputError(f"cannot read directory ({err.strerror})", where=err.filename or source)
    yield from found
    if not found and not errors:
        yield InputError(f"directory has no files {_wanted(options)}", where=source)


def _walk(
    root: Path, options: FileOptions, errors: list[OSError], *, base: Path | None = None
) -> list[Path]:
    """Supported, non-hidden files below ``root`` that pass the patterns, sorted.

    Patterns see each path relative to ``base`` (default: ``root``).
    """
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            path = Path(dirpath, name)
            relative = _relative(path, base or root)
            if _selected(relative, options):
                found.append((relative, path))
    return [path for _, path in sorted(found)]


def _selected(relative: str, options: FileOptions) -> bool:
    if options.include and not any(_matches(relative, p) for p in options.include):
        return False
    return not any(_matches(relative, p) for p in options.exclude)


def _matches(relative: str, pattern: str) -> bool:
    parts = relative.split("/")
    regex = _pattern_regex(pattern.strip("/"))
    if "/" not in pattern.strip("/"):
        return any(regex.fullmatch(part) for part in parts)
    return any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1))


@lru_cache(maxsize=256)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A glob pattern as a regex: ``*`` within one directory, ``**`` across any number."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


# --- reading one file -----------------------------------------------------------------------


def iter_file(path: Path, options: FileOptions | None = None) -> Iterator[SourceItem]:
    """The articles in one file (or errors saying why a file, line or row cannot be read)."""
    options = options or FileOptions()
    suffix = path.suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        yield _read_article(path, options.max_file_bytes)
    elif suffix in (".jsonl", ".csv"):
        reader = _read_jsonl if suffix == ".jsonl" else _read_csv
        try:
            yield from reader(path, options)
        except InputError as err:
            yield err
        except OSError as exc:
            yield InputError(f"cannot read file ({exc.strerror or exc})", where=str(path))
    else:
        kind = f"'{suffix}'" if suffix else "(no file extension)"
        yield InputError(
            f"unsupported file type {kind}; allegiance reads {_SUPPORTED_TEXT}", where=str(path)
        )


def _read_article(path: Path, max_bytes: int) -> SourceItem:
    """A .txt, .md or .html file as one article; the text is kept as written."""
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return InputError(f"cannot read file ({exc.strerror})", where=where)
    if size > max_bytes:
        return InputError(
            f"file is {_over(size, max_bytes)}; split it into smaller articles", where=where,
        )
    try:
        record = read_article_file(path)
    except InputError as err:
        return err
    text = record["text"]
    if not text.strip():
        return InputError("file has no text", where=where)
    return RawArticle(
        where=where, id=where, text=text, title=record.get("title"),
        date=_metadata_date(record.get("date")),
    )


def _metadata_date(value: Any) -> str | None:
    """A page's own date, ISO, or None: a date we cannot read does not refuse the page."""
    try:
        date = parse_date(value)
    except InputError:
        return None
    return date.isoformat() if date else None


def _over(size: int, limit: int) -> str:
    """``8.5 kB, over the 2 kB limit``; in bytes where rounding would make both look alike."""
    shown, allowed = _megabytes(size), _megabytes(limit)
    if shown == allowed:
        shown, allowed = f"{size:,} bytes", f"{limit:,} byte"
    return f"{shown}, over the {allowed} limit"


def _megabytes(size: int) -> str:
    if size >= 100_000:
        return f"{size / 1e6:.1f}".removesuffix(".0") + " MB"
    if size >= 1000:
        return f"{size / 1e3:.1f}".removesuffix(".0") + " kB"
    return f"{size} bytes"


def _open_text(path: Path) -> IO[bytes]:
    """The file opened for reading, after refusing a binary one."""
    stream = path.open("rb")
    head = stream.read(_SNIFF_BYTES)
    if b"\x00" in head:
        stream.close()
        raise InputError("binary file, not text", where=str(path))
    stream.seek(0)
    return stream


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes, int]]:
    """``(line, size)`` per physical line; a line over ``limit`` is cut (never held whole)."""
    while raw := stream.readline(limit + 1):
        size = len(raw)
        if size > limit and not raw.endswith(b"\n"):
            size += _skip_line(stream)
        yield raw, size


def _skip_line(stream: IO[bytes]) -> int:
    """Read past the rest of the current line a megabyte at a time; its size in bytes."""
    skipped = 0
    while rest := stream.readline(1 << 20):
        skipped += len(rest)
        if rest.endswith(b"\n"):
            break
    return skipped


def _too_long(kind: str, size: int) -> str:
    return f"{kind} is {_over(size, MAX_LINE_BYTES)}; split the article into smaller records"


# --- JSON Lines -----------------------------------------------------------------------------


def _read_jsonl(path: Path, options: FileOptions) -> Iterator[SourceItem]:
    with _open_text(path) as stream:
        yield from iter_jsonl_stream(stream, name=str(path))


def iter_jsonl_stream(stream: IO[bytes], *, name: str = "stdin") -> Iterator[SourceItem]:
    """Contract input records from a byte stream (a file, or stdin for ``ingest -``)."""
    lines = _bounded_lines(stream, MAX_LINE_BYTES)
    for number, (raw, size) in enumerate(lines, start=1):
        where = f"{name} line {number}"
        if size > MAX_LINE_BYTES:
            yield InputError(_too_long("line", size), where=where)
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        for _, value in read_jsonl((raw,)):
            if isinstance(value, InputError):
                yield _relocate(value, where)
            else:
                yield _record_article(value, where)


def _relocate(err: InputError, where: str) -> InputError:
    """The same error, placed at ``where`` (``read_jsonl`` only knows the line number)."""
    message = str(err)
    if err.where and message.startswith(f"{err.where}: "):
        message = message[len(err.where) + 2 :]
    return InputError(message, where=where)


def _record_article(record: Mapping[str, Any], where: str) -> SourceItem:
    """A contract input record (``id``, ``text``, optional ``date``, ``title``, ``url``)."""
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        return InputError("record needs a non-empty string 'id'", where=where)
    text = record.get("text")
    if not isinstance(text, str):
        return InputError(f"record {doc_id!r} needs a string 'text'", where=where)
    if not text.strip():
        return InputError(f"record {doc_id!r} has empty text", where=where)
    try:
        date = parse_date(record.get("date"), where=where)
        title, url = (_optional_str(record, key, where) for key in ("title", "url"))
    except InputError as err:
        return err
    return RawArticle(
        where=where, id=doc_id, text=text, title=title, url=url,
        publisher=_first_str(record, "publisher", "source"),
        date=date.isoformat() if date else None, language=_first_str(record, "language"),
    )


def _optional_str(record: Mapping[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(f"'{key}' must be a string, got {type(value).__name__}", where=where)


def _first_str(record: Mapping[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` holding a non-empty string; other values are not ours to judge."""
    for key in keys:
        if isinstance(value := record.get(key), str) and value.strip():
            return value.strip()
    return None


# --- CSV ------------------------------------------------------------------------------------


class _CsvLines:
    """Decoded physical lines for ``csv.reader``, noting a line too long or not UTF-8.

    A bad line is handed on as a placeholder, so the reader's rows stay in step;
    ``problem`` then says what was wrong until the row loop takes it.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._lines = _bounded_lines(stream, MAX_LINE_BYTES)
        self._first = True
        self.problem: str | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw, size = next(self._lines)
        if self._first:
            raw, self._first = raw.removeprefix(codecs.BOM_UTF8), False
        if size > MAX_LINE_BYTES:
            self.problem = _too_long("row", size)
            return _BAD_LINE
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem = f"not valid UTF-8 (byte {exc.start}); re-encode the file as UTF-8"
            return _BAD_LINE

    def take_problem(self) -> str | None:
        problem, self.problem = self.problem, None
        return problem


def _read_csv(path: Path, options: FileOptions) -> Iterator[SourceItem]:
    """One article per row; row numbers count the header as row 1, as a spreadsheet shows."""
    _raise_field_limit()
    with _open_text(path) as stream:
        lines = _CsvLines(stream)
        header = next(lines, None)
        if header is None or not header.strip():
            raise InputError("file is empty: no header row", where=str(path))
        if problem := lines.take_problem():
            raise InputError(problem, where=f"{path} row 1")
        reader = csv.DictReader(itertools.chain([header], lines), delimiter=_delimiter(header))
        columns = _resolve_columns(reader.fieldnames or [], options.csv, path)
        number = 1
        while True:
            number += 1
            where = f"{path} row {number}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                lines.take_problem()
                yield InputError(f"malformed CSV ({exc})", where=where)
                continue
            if problem := lines.take_problem():
                yield InputError(problem, where=where)
            else:
                yield _row_article(row, columns, where, f"{path.name}:{number}")


def _raise_field_limit() -> None:
    # The csv module refuses fields over 128 kB by default: an article can be longer.
    if csv.field_size_limit() < MAX_LINE_BYTES:
        csv.field_size_limit(MAX_LINE_BYTES)


def _delimiter(header: str) -> str:
    """The delimiter the header row uses most: comma, semicolon or tab."""
    counts = {d: header.count(d) for d in _CSV_DELIMITERS}
    best = max(_CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _resolve_columns(
    fieldnames: Iterable[str], wanted: CsvColumns, path: Path
) -> dict[str, str]:
    """Our field name -> the file's column name, for the columns the file has."""
    names = list(fieldnames)
    loose = {name.strip().casefold(): name for name in names}
    found: dict[str, str] = {}
    for key in ("text", "id", "title", "date", "url", "publisher"):
        column: str = getattr(wanted, key)
        actual = column if column in names else loose.get(column.strip().casefold())
        if actual is not None:
            found[key] = actual
    if "text" not in found:
        have = ", ".join(n for n in names if n) or "(none)"
        raise InputError(
            f"no '{wanted.text}' column; the file has columns: {have}; "
            "choose with --text-column", where=str(path),
        )
    return found


def _row_article(
    row: Mapping[str | Any, Any], columns: Mapping[str, str], where: str, fallback_id: str
) -> SourceItem:
    def cell(key: str) -> str:
        value = row.get(columns[key]) if key in columns else None
        return value.strip() if isinstance(value, str) else ""

    text = row.get(columns["text"])
    if not isinstance(text, str) or not text.strip():
        return InputError(f"row has empty text (column '{columns['text']}')", where=where)
    size = sum(len(v) for v in row.values() if isinstance(v, str))
    if size > MAX_LINE_BYTES:
        return InputError(_too_long("row", size), where=where)
    try:
        date = parse_date(cell("date") or None, where=where)
    except InputError as err:
        return err
    return RawArticle(
        where=where, id=cell("id") or fallback_id, text=text, title=cell("title") or None,
        url=cell("url") or None, publisher=cell("publisher") or None,
        date=date.isoformat() if date else None,
    )
