"""The compiled-data cache: keyed on data and code, never the user's folder in tests."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from allegiance import _cache


def test_tests_use_a_temporary_cache() -> None:
    assert _cache.cache_dir() != Path.home() / ".cache" / "allegiance"
    assert "allegiance-test-cache-" in str(_cache.cache_dir())


def test_a_value_is_built_once_then_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALLEGIANCE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert _cache.cached("probe", "key-one", build) == {"n": 1}
    assert _cache.cached("probe", "key-one", build) == {"n": 1}
    assert calls == [1]
    assert _cache.cached("probe", "key-two", build) == {"n": 2}  # another key: rebuilt


def test_an_unreadable_file_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALLEGIANCE_CACHE_DIR", str(tmp_path))
    # A pickle naming a module that no longer exists (code moved) and a truncated file.
    for name, content in [("moved", b"\x80\x04\x95" + pickle.dumps(0)[3:-1] + b"cnowhere\nX\n."),
                          ("cut", pickle.dumps(("k" * 16, [1, 2, 3]))[:-4])]:
        (tmp_path / f"{name}-{'k' * 16}.pickle").write_bytes(content)
        assert _cache.cached(name, "k" * 16, lambda: "fresh") == "fresh"


def test_the_key_changes_with_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "mod.py").write_text("X = 1\n")
    monkeypatch.setattr(_cache, "_PACKAGE", tmp_path)
    before = _cache.code_digest(["fakepkg"])
    (package / "mod.py").write_text("X = 2\n")
    assert _cache.code_digest(["fakepkg"]) != before
