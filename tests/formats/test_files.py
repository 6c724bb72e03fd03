import os
from pathlib import Path

import pytest

from allegiance.errors import InputError
from allegiance.formats.files import (
    CsvColumns,
    FileOptions,
    is_url,
    iter_file,
    iter_files,
    iter_paths,
)
from allegiance.formats.jsonl import MAX_LINE_BYTES
from allegiance.records import RawArticle, SourceItem
from conftest import SHARED

SAMPLE = SHARED / "samples" / "world_news_demo.jsonl"
TEXT = "Kenya and Tanzania agreed on Tuesday to hold joint naval patrols in the Indian Ocean."
HTML = (
    "<html><head><title>Naval talks</title></head><body><article><p>"
    + "Kenya and Tanzania agreed on Tuesday to hold joint naval patrols in the Indian "
    "Ocean, officials from both governments said after a meeting in Mombasa. " * 3
    + "</p></article></body></html>"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def split(items: list[SourceItem]) -> tuple[list[RawArticle], list[InputError]]:
    articles = [i for i in items if isinstance(i, RawArticle)]
    errors = [i for i in items if isinstance(i, InputError)]
    return articles, errors


def names(items: list[Path | InputError], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in items if isinstance(p, Path)]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ("a.txt", "b.md", "c.html", "2025/01/d.txt", "2025/02/e.html",
                "drafts/f.txt", "notes.pdf", ".hidden.txt", ".git/g.txt", "data.jsonl"):
        write(tmp_path / rel, TEXT)
    return tmp_path


# --- finding files ---------------------------------------------------------------------------


def test_directory_is_walked_sorted_with_supported_files_only(tree: Path) -> None:
    found = list(iter_paths([str(tree)]))
    assert names(found, tree) == [
        "2025/01/d.txt", "2025/02/e.html", "a.txt", "b.md", "c.html", "data.jsonl",
        "drafts/f.txt",
    ]


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (("*.html",), (), ["2025/02/e.html", "c.html"]),
        (("2025/**/*.txt",), (), ["2025/01/d.txt"]),
        (("2025",), (), ["2025/01/d.txt", "2025/02/e.html"]),
        (("*.txt",), ("drafts",), ["2025/01/d.txt", "a.txt"]),
        ((), ("2025/**", "*.md", "data.*"), ["a.txt", "c.html", "drafts/f.txt"]),
        (("[ab].*",), (), ["a.txt", "b.md"]),
    ],
)
def test_include_and_exclude_patterns(
    tree: Path, include: tuple[str, ...], exclude: tuple[str, ...], expected: list[str]
) -> None:
    found = list(iter_paths([str(tree)], FileOptions(include=include, exclude=exclude)))
    assert names(found, tree) == expected


def test_directory_with_nothing_to_read_is_reported(tree: Path) -> None:
    (err,) = iter_paths([str(tree)], FileOptions(include=("*.csv",)))
    assert isinstance(err, InputError) and err.where == str(tree)
    assert "include/exclude" in str(err)


def test_glob_pattern_source(tree: Path) -> None:
    found = list(iter_paths([f"{tree}/**/*.txt"]))
    assert names(found, tree) == ["2025/01/d.txt", "a.txt", "drafts/f.txt"]
    found = list(iter_paths([f"{tree}/**"], FileOptions(exclude=("drafts",))))
    assert names(found, tree) == [
        "2025/01/d.txt", "2025/02/e.html", "a.txt", "b.md", "c.html", "data.jsonl",
    ]
    (err,) = iter_paths([f"{tree}/*.docx"])
    assert isinstance(err, InputError) and "pattern matched no files" in str(err)
    (err,) = iter_paths([f"{tree}/*.pdf"])
    assert isinstance(err, InputError) and "types allegiance reads" in str(err)


def test_missing_source_is_reported_and_the_rest_goes_on(tree: Path) -> None:
    missing = str(tree / "nope.txt")
    err, path = iter_paths([missing, str(tree / "a.txt")])
    assert isinstance(err, InputError) and err.where == missing
    assert "no such file or directory" in str(err)
    assert path == tree / "a.txt"
    (err,) = iter_paths([""])
    assert isinstance(err, InputError) and "empty path" in str(err)


def test_explicit_file_is_taken_whatever_its_type(tree: Path) -> None:
    assert list(iter_paths([str(tree / "notes.pdf")])) == [tree / "notes.pdf"]


def test_is_url() -> None:
    assert is_url("https://example.org/a") and is_url("HTTP://example.org")
    assert not is_url("data/a.txt") and not is_url("httpdocs/a.txt")


# --- plain article files ---------------------------------------------------------------------


def test_text_and_markdown_files_are_kept_as_written(tmp_path: Path) -> None:
    body = "Naval talks\n\n" + TEXT + "\n"
    for name in ("a.txt", "b.md"):
        path = write(tmp_path / name, body)
        (article,) = iter_file(path)
        assert article == RawArticle(where=str(path), id=str(path), text=body)


def test_html_file_gives_text_and_title(tmp_path: Path) -> None:
    path = write(tmp_path / "page.htm", HTML)
    (article,) = iter_file(path)
    assert isinstance(article, RawArticle)
    assert "joint naval patrols" in article.text and "<p>" not in article.text
    assert article.title == "Naval talks" and article.id == str(path)


def test_html_without_article_text(tmp_path: Path) -> None:
    path = write(tmp_path / "menu.html", "<html><body><nav>Home | News</nav></body></html>")
    (err,) = iter_file(path)
    assert isinstance(err, InputError) and err.where == str(path)
    assert "no article text" in str(err)


def test_gigantic_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", TEXT * 100)
    (err,) = iter_file(path, FileOptions(max_file_bytes=2000))
    assert isinstance(err, InputError) and err.where == str(path)
    assert "file is 8.5 kB, over the 2 kB limit" in str(err)


def test_binary_non_utf8_empty_and_unsupported_files(tmp_path: Path) -> None:
    cases = {
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        "latin1.txt": ("Caf\xe9 talks in Brazzaville.".encode("latin-1"), "UTF-8"),
        "empty.md": (b"  \n", "no text"),
        "report.pdf": (b"%PDF-1.4", "unsupported file type '.pdf'"),
        "README": (b"text", "unsupported file type (no file extension)"),
        "dump.jsonl": (b"\x00\x01\x02", "binary"),
        "sheet.csv": (b"PK\x03\x04\x00\x00", "binary"),
    }
    for name, (content, message) in cases.items():
        path = write(tmp_path / name, content)
        (err,) = iter_file(path)
        assert isinstance(err, InputError) and err.where == str(path), name
        assert message in str(err), name


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    # A directory named like a file cannot be read as one (works even as root).
    for name in ("folder.txt", "folder.jsonl", "folder.csv"):
        (tmp_path / name).mkdir()
        (err,) = iter_file(tmp_path / name)
        assert isinstance(err, InputError) and "cannot read file" in str(err), name


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_file_without_permission_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", TEXT)
    path.chmod(0)
    (err,) = iter_file(path)
    assert isinstance(err, InputError) and "cannot read file" in str(err)


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_bad_lines_amid_good_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", "\n".join([
        '{"id": "a", "text": "One.", "date": "2025-09-14T08:00:00Z", "source": "DW",'
        ' "title": "T", "url": "https://dw.com/x"}',
        "{broken",
        "",
        '{"id": 7, "text": "Two.", "publisher": "AP", "source": "ignored"}',
        '{"text": "no id"}',
        '{"id": "c", "text": 3}',
        '{"id": "d", "text": "Three.", "date": "14/09/2025"}',
        '{"id": "e", "text": "Four.", "title": 5}',
        '{"id": "f", "text": "   "}',
        '{"id": "g", "text": "Five.", "source": {"name": "x"}}',
    ]) + "\n")
    articles, errors = split(list(iter_file(path)))
    assert articles[0] == RawArticle(
        where=f"{path} line 1", id="a", text="One.", title="T", url="https://dw.com/x",
        publisher="DW", date="2025-09-14",
    )
    assert (articles[1].id, articles[1].publisher) == ("7", "AP")
    assert articles[1].where == f"{path} line 4"
    assert (articles[2].id, articles[2].publisher) == ("g", None)
    assert [e.where for e in errors] == [f"{path} line {n}" for n in (2, 5, 6, 7, 8, 9)]
    messages = [str(e) for e in errors]
    assert messages[0] == f"{path} line 2: malformed JSON (Expecting property name enclosed in " \
        "double quotes at column 2)"
    for message, part in zip(messages[1:], ("'id'", "'text'", "ISO date", "'title' must be",
                                            "empty text"), strict=True):
        assert part in message


def test_jsonl_huge_line_is_skipped_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        out.write(b'{"id": "big", "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}\n')
        out.write(b'{"id": "small", "text": "fine"}\n')
    err, ok = iter_file(path)
    assert isinstance(err, InputError) and err.where == f"{path} line 1"
    assert f"line is {MAX_LINE_BYTES + 36:,} bytes, over the {MAX_LINE_BYTES:,} byte limit" \
        in str(err)
    assert isinstance(ok, RawArticle) and ok.id == "small" and ok.where == f"{path} line 2"


def test_jsonl_with_byte_order_mark_and_bad_utf8_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.jsonl", b'\xef\xbb\xbf{"id": "a", "text": "x"}\n'
                 b'{"id": "b", "text": "\xff"}\n{"id": "c", "text": "y"}\n')
    a, err, c = iter_file(path)
    assert isinstance(a, RawArticle) and isinstance(c, RawArticle)
    assert isinstance(err, InputError) and err.where == f"{path} line 2" and "UTF-8" in str(err)


@pytest.mark.skipif(not SAMPLE.exists(), reason="the shared sample corpus is not checked out")
def test_the_sample_corpus() -> None:
    articles, errors = split(list(iter_file(SAMPLE)))
    assert errors == [] and len(articles) == 350
    assert len({a.id for a in articles}) == 350
    assert all(a.publisher for a in articles) and articles[0].publisher == "DW"
    assert all(a.date and len(a.date) == 10 and a.date[4] == "-" for a in articles)
    assert all(a.where.startswith(f"{SAMPLE} line ") for a in articles)


# --- CSV -------------------------------------------------------------------------------------


def test_csv_default_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", "id,text,date,title,url,publisher\n"
                 f'x1,"{TEXT}",2025-09-14,Talks,https://a.example/1,Reuters\n'
                 ',"Second, with a comma.",,,,\n')
    first, second = iter_file(path)
    assert first == RawArticle(
        where=f"{path} row 2", id="x1", text=TEXT, title="Talks", url="https://a.example/1",
        publisher="Reuters", date="2025-09-14",
    )
    assert second == RawArticle(where=f"{path} row 3", id="in.csv:3", text="Second, with a comma.")


def test_csv_custom_columns_semicolons_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv",
                 "\ufeffArticle ID;Headline;Body;Published\n"
                 f"k-1;Talks;{TEXT};2025-01-02\n")
    columns = CsvColumns(text="body", id="article id", title="Headline", date="Published")
    (article,) = iter_file(path, FileOptions(csv=columns))
    assert isinstance(article, RawArticle)
    assert (article.id, article.title, article.text, article.date) == \
        ("k-1", "Talks", TEXT, "2025-01-02")


def test_csv_tab_separated_multiline_cell(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", 'text\tid\n"Line one.\nLine two."\tm\nplain\tn\n')
    first, second = iter_file(path)
    assert isinstance(first, RawArticle) and first.text == "Line one.\nLine two."
    assert isinstance(second, RawArticle) and second.where == f"{path} row 3"


def test_csv_without_the_text_column_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", "id,headline,content\n" + "1,a,b\n" * 50)
    (err,) = iter_file(path, FileOptions(csv=CsvColumns(text="body")))
    assert isinstance(err, InputError) and err.where == str(path)
    assert str(err) == f"{path}: no 'body' column; the file has columns: id, headline, " \
        "content; choose with --text-column"


def test_csv_bad_rows_amid_good_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", b"id,text,date\n"
                 b"a,Good one.,2025-03-04\n"
                 b"b,,2025-03-04\n"
                 b"c,Bad date.,March 4\n"
                 b"d,Not \xff UTF-8.,\n"
                 b"e,Short row\n"
                 b"f,Good two.,2025-02-30T10:00\n"
                 b"g,Good three.,2025-03-05T10:00:00Z\n")
    articles, errors = split(list(iter_file(path)))
    assert [a.id for a in articles] == ["a", "e", "g"]
    assert articles[2].date == "2025-03-05" and articles[1].date is None
    assert [e.where for e in errors] == [f"{path} row {n}" for n in (3, 4, 5, 7)]
    for err, part in zip(errors, ("empty text", "ISO date", "UTF-8", "calendar date"),
                         strict=True):
        assert part in str(err)


def test_csv_huge_row_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.write(b"id,text\n")
        out.write(b"big," + b"a" * (MAX_LINE_BYTES + 10) + b"\n")
        out.write(b'quoted,"' + b"b" * (MAX_LINE_BYTES // 2) + b"\n" + b"b" * (MAX_LINE_BYTES // 2)
                  + b'"\n')
        out.write(b"small,fine\n")
    items = list(iter_file(path))
    assert [type(i) for i in items] == [InputError, InputError, RawArticle]
    assert items[0].where == f"{path} row 2" and "over the 4,194,304 byte limit" in str(items[0])
    assert items[1].where == f"{path} row 3"
    assert isinstance(items[2], RawArticle) and items[2].where == f"{path} row 4"


def test_empty_csv(tmp_path: Path) -> None:
    (err,) = iter_file(write(tmp_path / "empty.csv", ""))
    assert isinstance(err, InputError) and "no header row" in str(err)


# --- the whole chain -------------------------------------------------------------------------


def test_iter_files_reads_everything_and_reports_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "docs/a.txt", TEXT)
    write(tmp_path / "docs/b.html", HTML)
    write(tmp_path / "docs/sub/c.jsonl", '{"id": "c1", "text": "x"}\n{"id": "c2"}\n')
    write(tmp_path / "docs/sub/d.csv", "text\nrow text\n")
    write(tmp_path / "docs/e.html", "<html><body></body></html>")
    sources = [str(tmp_path / "docs"), str(tmp_path / "missing"), str(tmp_path / "docs/a.txt")]
    articles, errors = split(list(iter_files(sources)))
    assert [a.id for a in articles] == [
        str(tmp_path / "docs/a.txt"), str(tmp_path / "docs/b.html"), "c1", "d.csv:2",
        str(tmp_path / "docs/a.txt"),
    ]
    assert [e.where for e in errors] == [
        str(tmp_path / "docs/e.html"), f"{tmp_path / 'docs/sub/c.jsonl'} line 2",
        str(tmp_path / "missing"),
    ]
