import io
from pathlib import Path

import pytest

from allegiance.errors import InputError
from allegiance.formats.articles import read_article_file
from allegiance.formats.jsonl import MAX_LINE_BYTES, read_jsonl
from allegiance.pipeline.document import Article


def lines(data: bytes) -> list[tuple[int, object]]:
    return list(read_jsonl(io.BytesIO(data)))


def test_good_and_bad_lines_are_numbered() -> None:
    data = b'{"id": "a", "text": "x"}\n{broken\n\n[1, 2]\n\xff\xfe{"id": 1}\n{"id": "b"}\n'
    out = lines(data)
    assert [n for n, _ in out] == [1, 2, 4, 5, 6]
    assert out[0][1] == {"id": "a", "text": "x"}
    assert isinstance(out[1][1], InputError) and "line 2" in str(out[1][1])
    assert "malformed JSON" in str(out[1][1])
    assert isinstance(out[2][1], InputError) and "expected a JSON object" in str(out[2][1])
    assert isinstance(out[3][1], InputError) and "UTF-8" in str(out[3][1])
    assert out[4][1] == {"id": "b"}


def test_huge_line_is_refused_before_parsing() -> None:
    big = b'{"id": "big", "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}\n'
    (_, err), (_, ok) = lines(big + b'{"id": "small", "text": "fine"}\n')
    assert isinstance(err, InputError) and "MB" in str(err) and "line 1" in str(err)
    assert ok == {"id": "small", "text": "fine"}


def test_binary_line_is_refused() -> None:
    ((_, err),) = lines(b'{"id": "\x00\x01"}\n')
    assert isinstance(err, InputError) and "binary" in str(err)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "Russia attacked Ukraine."}, "'id'"),
        ({"id": "x"}, "'text'"),
        ({"id": "x", "text": "   "}, "empty text"),
        ({"id": "x", "text": "Le gouvernement a annoncé mardi une nouvelle série de mesures "
          "pour la région."}, "English"),
        ({"id": "x", "text": "Russia attacked Ukraine.", "date": "yesterday"}, "ISO date"),
        ({"id": "x", "text": "Russia attacked Ukraine.", "date": "2026-02-30"}, "calendar"),
        ({"id": "x", "text": "a " * 600_000}, "limit"),
    ],
)
def test_article_validation_says_what_is_wrong(record: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        Article.from_record(record, where="line 7")
    assert "line 7" in str(info.value)


def test_article_files(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("Russia attacked Ukraine on Monday.", encoding="utf-8")
    assert read_article_file(txt) == {"id": "a.txt", "text": "Russia attacked Ukraine on Monday."}
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02 binary")
    with pytest.raises(InputError, match="binary"):
        read_article_file(binary)
    html = tmp_path / "c.html"
    html.write_text(
        "<html><head><title>Talks</title></head><body><article><p>"
        + "Kenya and Tanzania agreed on Tuesday to hold joint naval patrols in the Indian "
        "Ocean, officials from both governments said after a meeting in Mombasa. " * 3
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    rec = read_article_file(html)
    assert "joint naval patrols" in rec["text"] and "<p>" not in rec["text"]
    empty = tmp_path / "d.html"
    empty.write_text("<html><body><nav>menu</nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        read_article_file(empty)
