"""scripts/synth_store.py: a small synthetic store has the shape the benchmarks rely on."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from allegiance.ontology.cameo import codebook
from allegiance.records import MODES
from allegiance.store.store import Store
from conftest import ROOT, dump_store

N = 2000


def _load_script() -> ModuleType:
    # A script, not a package module: load it by path (registered first, as dataclasses
    # look their module up while the class is made).
    path = ROOT / "scripts" / "synth_store.py"
    spec = importlib.util.spec_from_file_location("synth_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synth = _load_script()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('synth') / 'events.db'}"
    return url, synth.generate(url, events=N, seed=0, progress=False)


def test_about_the_target_number_of_events_is_stored(made: tuple[str, Any]) -> None:
    url, summary = made
    with Store(url, create=False) as store:
        stats = store.stats()
    assert stats.events == {"allegiance": summary.events}
    assert abs(summary.events - N) <= 0.02 * N
    assert stats.mentions > stats.events["allegiance"]
    assert stats.sentences == stats.mentions  # one sentence per report


def test_actors_are_heavy_tailed(made: tuple[str, Any]) -> None:
    d = synth.distribution(made[0], top=200)
    shares = dict(d.top)
    assert d.top[0][0] == "USA" and shares["USA"] > 0.2
    assert shares["CHN"] > 0.1 and shares["RUS"] > 0.05
    assert d.actors >= 150  # a long tail of countries and organisations...
    assert sum(s < 0.01 for s in shares.values()) >= 0.7 * len(shares)  # ...each one rare


def test_many_events_have_several_mentions(made: tuple[str, Any]) -> None:
    d = synth.distribution(made[0])
    assert 0.2 < d.multi_mention < 0.8
    with Store(made[0], create=False) as store:
        top = next(store.events(order="mentions", limit=1))
        assert top.num_mentions >= 5
        mentions = store.mentions(top.id)
    assert len(mentions) == top.num_mentions
    assert len({m.publisher for m in mentions}) == top.num_sources > 1


def test_events_are_well_formed(made: tuple[str, Any]) -> None:
    with Store(made[0], create=False) as store:
        events = list(store.events(limit=500))
    modes = Counter(e.mode for e in events)
    assert set(modes) <= set(MODES) and modes.most_common(1)[0][0] == "asserted"
    assert 0 < sum(e.negated for e in events) < 0.15 * len(events)
    for e in events:
        code = codebook()[e.cameo]
        assert (e.root, e.quad, e.goldstein, e.plover) == (code.root, code.quad,
                                                           code.goldstein, code.plover)
        assert e.source and e.target and e.sentence
        assert e.source.text and e.source.text in e.sentence
        assert e.target.text and e.target.text in e.sentence
        assert 0.3 <= (e.confidence or 0) <= 1
        assert "2024-01-01" <= (e.date or "") <= "2025-12-31"


def test_weekdays_carry_more_news_than_weekends(made: tuple[str, Any]) -> None:
    with Store(made[0], create=False) as store:
        days = Counter(dt.date.fromisoformat(e.date or "").weekday() for e in store.events())
    weekday, weekend = sum(days[d] for d in range(5)) / 5, (days[5] + days[6]) / 2
    assert weekday > 1.15 * weekend


def test_same_seed_same_store_whatever_the_batch(made: tuple[str, Any],
                                                 tmp_path: Path) -> None:
    again = f"sqlite:///{tmp_path / 'again.db'}"
    synth.generate(again, events=N, seed=0, batch=300, progress=False)
    assert dump_store(again) == dump_store(made[0])
    other = f"sqlite:///{tmp_path / 'other.db'}"
    synth.generate(other, events=200, seed=1, progress=False)
    assert dump_store(other)["events"] != dump_store(made[0])["events"]


def test_a_store_with_events_is_refused(made: tuple[str, Any],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["--db", made[0], "--events", "10", "--quiet"]) == 1
    assert "already holds" in capsys.readouterr().err
