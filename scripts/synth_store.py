"""A synthetic event store for benchmarks of the analysis functions.

    python scripts/synth_store.py --db bench.db --events 1000000 [--seed 0] [--batch 5000]

Articles are written through the store's one write path (``Store.write``), so the
articles, sentences, events, mentions and actors are what an ingest would have stored.
What makes the store look like coded news rather than uniform noise:

* actors by a Zipf law over ~260 real CAMEO actors (the countries and organisations of
  ``data/actors/``): the US, China and Russia in a large share of events, a long tail;
* dyads by that law times a random partner preference, each dyad with its own leaning
  between cooperation and conflict (a few are hostile), plus some domestic dyads
  (USAGOV against USAOPP);
* event codes, Goldstein scores, quad classes and PLOVER categories from the project's
  CAMEO codebook, roots in roughly GDELT's proportions;
* two years of days (2024-2025) with weekly seasonality, and bursts: a dyad's sudden
  spike of conflict or cooperation that fades over days to weeks;
* most events told by one article, many by several publishers within three days: the
  writer merges those reports into one event with several mentions.

The same seed and target give the same store, whatever ``--batch``. Events are stored
with coder "allegiance" (what the analyses read) and coder version "synthetic".
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import numpy.typing as npt
from sqlalchemy import case, func, select
from tqdm import tqdm

from allegiance.actors import ActorDictionary
from allegiance.errors import StoreError
from allegiance.ontology.actors import actor_key
from allegiance.ontology.cameo import CameoCode, codebook
from allegiance.records import CODER, ActorCode, ActorMention, Event, Mode, RawArticle, Span
from allegiance.store import schema
from allegiance.store.dedupe import Fingerprint, fingerprint, text_hash
from allegiance.store.store import DEFAULT_MERGE_DAYS, Store
from allegiance.store.writer import ArticleRecord, WriteCounts

START, END = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
CODER_VERSION = "synthetic"  # marks the events as made up, in the store itself
CALIBRATE_DAYS = 14  # the event rate is re-aimed at the target this often (simulated days)

# The actors the news is most about, most first (roughly GDELT's order); every other
# country and organisation follows in a seeded random order.
HEAD = ("USA", "CHN", "RUS", "UKR", "ISR", "IRN", "GBR", "IGOUNO", "FRA", "DEU", "PSE",
        "IND", "IGOEUREEC", "TUR", "JPN", "SAU", "PRK", "KOR", "SYR", "PAK", "IGOWSTNAT",
        "AFG", "IRQ", "EGY", "VEN", "BRA", "CAN", "AUS", "TWN", "QAT")
ZIPF_ACTORS = 1.05  # rank exponent of actor prominence
DOMESTIC = 2.0  # weight of a state's domestic dyad against its foreign ones
VERBAL_SHARE = {True: 0.7, False: 0.6}  # cooperation / conflict told in words, not deeds

# Approximate shares of the CAMEO roots in GDELT events (statements and consultations
# dominate; mass violence is rare).
ROOT_SHARE = {
    "01": 20.0, "02": 4.0, "03": 7.0, "04": 18.0, "05": 7.0, "06": 2.0, "07": 2.0,
    "08": 1.5, "09": 0.5, "10": 1.5, "11": 6.0, "12": 3.0, "13": 2.0, "14": 2.0,
    "15": 0.7, "16": 1.2, "17": 4.0, "18": 1.8, "19": 5.0, "20": 0.1,
}

# How a sentence tells each root: (base form, past form); the trigger is the verb.
VERBS: dict[str, tuple[tuple[str, str], ...]] = {
    "01": (("comment on", "commented on"), ("speak about", "spoke about")),
    "02": (("appeal to", "appealed to"), ("call on", "called on"), ("urge", "urged")),
    "03": (("pledge to cooperate with", "pledged to cooperate with"),
           ("offer to work with", "offered to work with")),
    "04": (("meet with", "met with"), ("hold talks with", "held talks with"),
           ("host", "hosted"), ("visit", "visited")),
    "05": (("praise", "praised"), ("sign an agreement with", "signed an agreement with"),
           ("endorse", "endorsed")),
    "06": (("share intelligence with", "shared intelligence with"),
           ("expand trade with", "expanded trade with")),
    "07": (("send aid to", "sent aid to"), ("provide military aid to", "provided military aid to")),
    "08": (("ease sanctions on", "eased sanctions on"), ("release prisoners to",
                                                          "released prisoners to")),
    "09": (("investigate", "investigated"),),
    "10": (("demand concessions from", "demanded concessions from"),),
    "11": (("criticise", "criticised"), ("accuse", "accused"), ("condemn", "condemned")),
    "12": (("reject a proposal from", "rejected a proposal from"), ("rebuff", "rebuffed")),
    "13": (("threaten", "threatened"), ("warn", "warned")),
    "14": (("protest against", "protested against"),),
    "15": (("mobilise troops against", "mobilised troops against"),),
    "16": (("impose sanctions on", "imposed sanctions on"), ("expel diplomats of",
                                                             "expelled diplomats of")),
    "17": (("seize assets of", "seized assets of"), ("arrest citizens of",
                                                     "arrested citizens of")),
    "18": (("attack", "attacked"),),
    "19": (("clash with", "clashed with"), ("shell positions of", "shelled positions of")),
    "20": (("carry out mass killings against", "carried out mass killings against"),),
}

# Roles (CAMEO agents) of a state actor, their share of mentions and how a text names them.
AGENTS: dict[str | None, float] = {
    None: 0.28, "GOV": 0.42, "MIL": 0.12, "LEG": 0.03, "JUD": 0.02, "COP": 0.03,
    "OPP": 0.03, "BUS": 0.03, "MED": 0.02, "CVL": 0.01, "REB": 0.01,
}
DOMESTIC_SOURCES = ("GOV", "COP", "MIL", "JUD")
DOMESTIC_TARGETS = ("OPP", "CVL", "REB", "BUS", "MED", "LEG")
ROLE_WORDS: dict[str | None, tuple[str, ...]] = {
    None: ("{name}",),
    "GOV": ("the {adj} government", "the government of {name}", "{adj} officials",
            "{name}'s foreign minister"),
    "MIL": ("the {adj} military", "{adj} troops", "the armed forces of {name}"),
    "LEG": ("the {adj} parliament", "lawmakers in {name}"),
    "JUD": ("a {adj} court", "a court in {name}"),
    "COP": ("{adj} police", "police in {name}"),
    "OPP": ("the {adj} opposition", "the opposition in {name}"),
    "BUS": ("{adj} companies", "businesses in {name}"),
    "MED": ("{adj} state media", "state media in {name}"),
    "CVL": ("{adj} civilians", "civilians in {name}"),
    "REB": ("{adj} rebels", "rebels in {name}"),
}

MODES: dict[Mode, float] = {"asserted": 0.72, "reported": 0.14, "future": 0.08,
                            "historical": 0.03, "hypothetical": 0.03}
NEGATED = 0.04
FACT_MODES: tuple[Mode, ...] = ("asserted", "reported")  # interchangeable between reports
# Chances that a further report appears 0, 1, 2, 3 days after the event: within the
# writer's merge window (DEFAULT_MERGE_DAYS), so the reports make one event.
REPORT_LAG = (0.5, 0.3, 0.15, 0.05)
MAX_REPORTS = 25
WEEKDAY = (1.08, 1.12, 1.12, 1.08, 1.0, 0.78, 0.72)  # Monday first: weekend news is thinner

PUBLISHERS = (
    ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("AFP", "afp.com"),
    ("BBC", "bbc.co.uk"), ("Al Jazeera", "aljazeera.com"), ("The Guardian", "theguardian.com"),
    ("The New York Times", "nytimes.com"), ("The Washington Post", "washingtonpost.com"),
    ("CNN", "cnn.com"), ("Bloomberg", "bloomberg.com"), ("Xinhua", "xinhuanet.com"),
    ("TASS", "tass.com"), ("Deutsche Welle", "dw.com"), ("France 24", "france24.com"),
    ("NHK", "nhk.or.jp"), ("Yonhap", "yna.co.kr"), ("The Times of India", "timesofindia.com"),
    ("Anadolu Agency", "aa.com.tr"), ("The Hindu", "thehindu.com"), ("Kyiv Independent",
                                                                    "kyivindependent.com"),
    ("Haaretz", "haaretz.com"), ("South China Morning Post", "scmp.com"),
    ("Financial Times", "ft.com"), ("Le Monde", "lemonde.fr"), ("El País", "elpais.com"),
    ("Folha de S.Paulo", "folha.uol.com.br"), ("Dawn", "dawn.com"),
    ("The Straits Times", "straitstimes.com"), ("ABC News", "abc.net.au"),
    ("Radio Free Europe", "rferl.org"), ("Arab News", "arabnews.com"),
    ("Daily Maverick", "dailymaverick.co.za"), ("Nikkei Asia", "asia.nikkei.com"),
    ("The Moscow Times", "themoscowtimes.com"), ("Politico", "politico.com"),
)


# --- the world: actors, dyads and event codes, built once from the project's data ---------

@dataclass(frozen=True, slots=True)
class Entity:
    """A country or an organisation, as texts name it."""

    key: str  # CAMEO code: country (USA) or organisation (IGOUNO)
    name: str
    adjective: str | None
    capital: str | None

    @property
    def is_state(self) -> bool:
        return not self.key.startswith(("IGO", "NGO"))


@dataclass(frozen=True, slots=True)
class CodeTable:
    """CAMEO codes of one quad class, with their relative frequencies (cumulative)."""

    codes: tuple[CameoCode, ...]
    cum: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class World:
    entities: tuple[Entity, ...]
    actor_codes: tuple[dict[str | None, ActorCode], ...]  # per entity: agent -> code
    dyad_cum: list[float]  # cumulative dyad weights over source * n + target
    coop: list[float]  # per dyad: chance an event is cooperation
    quads: dict[int, CodeTable]
    publisher_cum: list[float]


def _data_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("allegiance.data").joinpath("actors", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _first(value: str) -> str | None:
    return value.split(";")[0].strip() or None


def load_entities() -> list[Entity]:
    """Every country of countries.csv and organisation code of igos.csv (its first name)."""
    out = [Entity(r["code"], r["name"], _first(r["adjectives"]), _first(r["capitals"]))
           for r in _data_csv("countries.csv")]
    seen: set[str] = set()
    for r in _data_csv("igos.csv"):
        if r["code"] not in seen:
            seen.add(r["code"])
            out.append(Entity(r["code"], r["name"], None, None))
    return out


def by_prominence(entities: Sequence[Entity], rng: np.random.Generator) -> list[Entity]:
    """HEAD first in its order, the rest shuffled: rank 0 is the most reported actor."""
    by_key = {e.key: e for e in entities}
    rest = [e for e in entities if e.key not in HEAD]
    order = rng.permutation(len(rest))
    return [by_key[k] for k in HEAD] + [rest[i] for i in order]


def _actor_codes(entity: Entity, dictionary: ActorDictionary) -> dict[str | None, ActorCode]:
    # The dictionary splits each code as the coder would (country, agent, stored name),
    # quirks included: it reads MAR (Morocco) and MUS (Mauritius) as roles, no country.
    agents = AGENTS if entity.is_state else {None: 1.0}
    return {a: dictionary.code(entity.key + (a or "")) for a in agents}


def _dyad_weights(entities: Sequence[Entity], rng: np.random.Generator
                  ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weights of each (source, target) and each dyad's cooperation leaning (n x n)."""
    n = len(entities)
    zipf = 1.0 / np.arange(1, n + 1) ** ZIPF_ACTORS
    # Partner preference: a heavy-tailed affinity per pair, mostly shared by both directions.
    shared = rng.lognormal(0.0, 1.2, size=(n, n))
    affinity = np.sqrt(shared * shared.T) * rng.lognormal(0.0, 0.3, size=(n, n))
    weights = np.outer(zipf, zipf) * affinity
    states = np.array([e.is_state for e in entities])
    np.fill_diagonal(weights, np.where(states, DOMESTIC * zipf**2, 0.0))
    hostile = rng.random((n, n)) < 0.1
    leaning = np.where(hostile, rng.beta(2, 6, (n, n)), rng.beta(6, 2.5, (n, n)))
    leaning = np.triu(leaning) + np.triu(leaning, 1).T  # one leaning per pair, both ways
    np.fill_diagonal(leaning, rng.beta(3, 3, n))
    return weights, leaning


def _code_tables() -> dict[int, CodeTable]:
    """Codes by quad class; within a root, general codes are told more than specific ones."""
    by_quad: dict[int, list[tuple[CameoCode, float]]] = defaultdict(list)
    per_root = Counter(c.root for c in codebook())
    for c in codebook():
        weight = ROOT_SHARE[c.root] / per_root[c.root] * {2: 3.0, 3: 2.0}.get(len(c.code), 1.0)
        by_quad[c.quad].append((c, weight))
    return {q: CodeTable(tuple(c for c, _ in rows),
                         tuple(np.cumsum([w for _, w in rows]).tolist()))
            for q, rows in by_quad.items()}


def build_world(rng: np.random.Generator) -> World:
    entities = by_prominence(load_entities(), rng)
    dictionary = ActorDictionary.default()
    weights, leaning = _dyad_weights(entities, rng)
    publishers = 1.0 / np.arange(1, len(PUBLISHERS) + 1) ** 0.8
    return World(
        entities=tuple(entities),
        actor_codes=tuple(_actor_codes(e, dictionary) for e in entities),
        dyad_cum=np.cumsum(weights.ravel()).tolist(),
        coop=leaning.ravel().tolist(),
        quads=_code_tables(),
        publisher_cum=np.cumsum(publishers).tolist(),
    )


# --- the timeline: seasonality and bursts ------------------------------------------------

@dataclass(frozen=True, slots=True)
class Burst:
    """A dyad's spike: ``peak`` events a day (in units of the base rate's scale) on its
    first day, fading exponentially over ``days``."""

    dyad: int
    start: int  # day index
    days: int
    peak: float
    coop: bool

    def rate(self, day: int) -> float:
        t = day - self.start
        if not 0 <= t < self.days:
            return 0.0
        return self.peak * float(np.exp(-3.0 * t / self.days))


def season(day: int) -> float:
    """Relative news volume of a day: weekly rhythm and a slow yearly swell."""
    date = START + dt.timedelta(days=day)
    return WEEKDAY[date.weekday()] * (1.0 + 0.1 * float(np.sin(2 * np.pi * day / 365.25)))


def make_bursts(world: World, n_days: int, rng: np.random.Generator) -> list[Burst]:
    """About one burst every five days; they strike middling dyads as well as big ones."""
    cum = np.asarray(world.dyad_cum)
    p = np.diff(cum, prepend=0.0) / cum[-1]
    spread = np.sqrt(p) / np.sqrt(p).sum()
    bursts = []
    for _ in range(rng.poisson(n_days / 5)):
        dyad = int(rng.choice(len(p), p=spread))
        # A spike is several times the dyad's own rate, and at least a visible share of a
        # day's news (the base rate is 1.0 per day in these units).
        peak = max(p[dyad] * rng.uniform(3, 15), float(np.exp(rng.uniform(np.log(1e-3),
                                                                          np.log(1e-2)))))
        days = int(np.clip(rng.lognormal(np.log(7), 0.7), 2, 45))
        bursts.append(Burst(dyad, int(rng.integers(0, n_days)), days, peak,
                            coop=bool(rng.random() < 0.35)))
    return sorted(bursts, key=lambda b: (b.start, b.dyad))


def remaining_weight(bursts: Sequence[Burst], n_days: int) -> list[float]:
    """For each day, the expected events from it to the end (per unit of scale)."""
    daily = [season(d) + sum(b.rate(d) for b in bursts) for d in range(n_days)]
    return [float(w) for w in np.cumsum(daily[::-1])[::-1]]


# --- happenings: one real-world event and its reports --------------------------------------

@dataclass(frozen=True, slots=True)
class Happening:
    day: int
    source: Entity
    target: Entity
    source_agent: str | None
    target_agent: str | None
    source_code: ActorCode
    target_code: ActorCode
    code: CameoCode
    mode: Mode
    negated: bool
    reports: int


@dataclass(frozen=True, slots=True)
class Report:
    happening: Happening
    day: int
    publisher: int
    mode: Mode
    confidence: float


def _pick(cum: Sequence[float], rnd: random.Random) -> int:
    return bisect.bisect_right(cum, rnd.random() * cum[-1])


def _reverse(dyad: int, n: int) -> int:
    """The same pair with source and target swapped (dyads are numbered source * n + target)."""
    i, j = divmod(dyad, n)
    return j * n + i


def _agents(world: World, i: int, j: int, rnd: random.Random
            ) -> tuple[str | None, str | None]:
    """The roles of the two sides (None: the state or organisation itself)."""
    if i == j:  # domestic: the state against part of its own society
        return rnd.choice(DOMESTIC_SOURCES), rnd.choice(DOMESTIC_TARGETS)
    return _agent(world.entities[i], rnd), _agent(world.entities[j], rnd)


def _agent(entity: Entity, rnd: random.Random) -> str | None:
    if not entity.is_state:
        return None
    return rnd.choices(list(AGENTS), weights=list(AGENTS.values()))[0]


def _code(world: World, coop: bool, burst: bool, rnd: random.Random) -> CameoCode:
    # Bursts are deeds more than words: fighting, sanctions, aid, agreements carried out.
    verbal = (0.5 if coop else 0.3) if burst else VERBAL_SHARE[coop]
    quad = (1 if coop else 3) if rnd.random() < verbal else (2 if coop else 4)
    table = world.quads[quad]
    return table.codes[_pick(table.cum, rnd)]


def _coverage(i: int, j: int, burst: bool, rnd: random.Random) -> int:
    """How many publishers report it: mostly one, more for big actors and hot stories."""
    exponent = 1.7 if burst else (1.95 if min(i, j) < 10 else 2.3)
    reports = 1
    while reports < MAX_REPORTS and rnd.random() < 1.0 / (1.0 + reports) ** (exponent - 1.0):
        reports += 1
    return reports


def happening(world: World, day: int, dyad: int, burst: Burst | None,
              rnd: random.Random) -> Happening:
    n = len(world.entities)
    i, j = divmod(dyad, n)
    coop = burst.coop if burst else rnd.random() < world.coop[dyad]
    source, target = _agents(world, i, j, rnd)
    mode = rnd.choices(list(MODES), weights=list(MODES.values()))[0]
    return Happening(day, world.entities[i], world.entities[j], source, target,
                     world.actor_codes[i][source], world.actor_codes[j][target],
                     _code(world, coop, burst is not None, rnd), mode,
                     rnd.random() < NEGATED, _coverage(i, j, burst is not None, rnd))


def reports_of(h: Happening, world: World, n_days: int, rnd: random.Random) -> list[Report]:
    """The first report on the day itself, the others by distinct publishers soon after."""
    publishers: list[int] = []
    while len(publishers) < min(h.reports, len(PUBLISHERS)):
        p = _pick(world.publisher_cum, rnd)
        if p not in publishers:
            publishers.append(p)
    out = []
    for k, p in enumerate(publishers):
        lag = 0 if k == 0 else rnd.choices(range(len(REPORT_LAG)), weights=REPORT_LAG)[0]
        # Asserted and reported are the same event to the writer; other modes are kept.
        mode = rnd.choice(FACT_MODES) if h.mode in FACT_MODES and k else h.mode
        confidence = 0.3 + 0.7 * rnd.betavariate(5, 2)
        out.append(Report(h, min(h.day + lag, n_days - 1), p, mode, confidence))
    return out


# --- text: sentences that name both actors, articles that hold them -----------------------

@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    source: tuple[int, int]  # offsets within the sentence
    target: tuple[int, int]
    trigger: tuple[int, int]


def actor_phrase(entity: Entity, agent: str | None, rnd: random.Random) -> str:
    if not entity.is_state:
        return entity.name
    forms = [f for f in ROLE_WORDS[agent] if entity.adjective or "{adj}" not in f]
    return rnd.choice(forms).format(name=entity.name, adj=entity.adjective)


def _clause(r: Report, base: str, past: str) -> tuple[str, str, str, str]:
    """(lead, auxiliary, verb, tail) of a report's sentence, by its mode and polarity."""
    h = r.happening
    year = START.year - 1 - h.day % 8
    if r.mode == "future":
        return "", "will not " if h.negated else "will ", base, ""
    if r.mode == "hypothetical":
        return "", "would not " if h.negated else "could ", base, ", analysts said"
    lead = f"In {year}, " if r.mode == "historical" else ""
    tail = ", according to officials" if r.mode == "reported" else ""
    if h.negated:
        return lead, "did not ", base, tail
    return lead, "reportedly " if r.mode == "reported" else "", past, tail


def sentence(r: Report, rnd: random.Random) -> Sentence:
    h = r.happening
    base, past = rnd.choice(VERBS[h.code.root])
    lead, aux, verb, tail = _clause(r, base, past)
    src = actor_phrase(h.source, h.source_agent, rnd)
    tgt = actor_phrase(h.target, h.target_agent, rnd)
    if not lead:
        src = src[0].upper() + src[1:]
    s0 = len(lead)
    v0 = s0 + len(src) + 1 + len(aux)
    t0 = v0 + len(verb) + 1
    text = f"{lead}{src} {aux}{verb} {tgt}{tail}."
    return Sentence(text, (s0, s0 + len(src)), (t0, t0 + len(tgt)), (v0, v0 + len(verb)))


def _mention(text: str, start: int, span: tuple[int, int], code: ActorCode) -> ActorMention:
    a, b = start + span[0], start + span[1]
    return ActorMention(text[a:b], a, b, code)


def _event(doc: str, index: int, r: Report, s: Sentence, start: int, text: str,
           date: str) -> Event:
    h, c = r.happening, r.happening.code
    a, b = start + s.trigger[0], start + s.trigger[1]
    return Event(
        doc_id=doc, event_id=f"{doc}:{index}:0", sentence=s.text, sentence_start=start,
        source=_mention(text, start, s.source, h.source_code),
        target=_mention(text, start, s.target, h.target_code),
        cameo=c.code, root=c.root, plover=c.plover, quad=c.quad, goldstein=c.goldstein,
        negated=h.negated, mode=r.mode, date=date, location=None,
        confidence=r.confidence, trigger=Span(text[a:b], a, b),
    )


def _dateline(r: Report, date: dt.date) -> str:
    h = r.happening
    place = next((e for e in (h.source, h.target) if e.is_state), None)
    city = (place.capital or place.name) if place else "Geneva"
    name = PUBLISHERS[r.publisher][0]
    return f"{city.upper()}, {date.day} {date:%B %Y} ({name}) - "


def article(reports: Sequence[Report], day: int, rnd: random.Random, seen: set[str],
            *, lsh: bool) -> ArticleRecord:
    """One publisher's article of a day telling ``reports``, one sentence each."""
    date = START + dt.timedelta(days=day)
    sentences = [sentence(r, rnd) for r in reports]
    text = _dateline(reports[0], date) + " ".join(s.text for s in sentences)
    while text_hash(text) in seen:  # the same story twice: a later, updated version
        text += " (Updated.)"
    fp = fingerprint(text) if lsh else Fingerprint(text_hash(text), None)
    seen.add(fp.text_hash)
    name, domain = PUBLISHERS[reports[0].publisher]
    url = f"https://www.{domain}/{date.isoformat()}/{fp.text_hash[:16]}"
    events, spans = [], []
    start = text.index(" - ") + 3
    for index, (r, s) in enumerate(zip(reports, sentences, strict=True)):
        spans.append((start, start + len(s.text)))
        events.append(_event(url, index, r, s, start, text, _event_date(r)))
        start += len(s.text) + 1
    title = sentences[0].text.rstrip(".")
    raw = RawArticle(where=url, id=url, text=text, title=title, url=url, publisher=name,
                     date=date.isoformat(), language="en")
    return ArticleRecord(raw, fp, url, tuple(events), tuple(spans))


def _event_date(r: Report) -> str:
    return (START + dt.timedelta(days=r.happening.day)).isoformat()


def articles_of_day(reports: list[Report], day: int, rnd: random.Random,
                    *, lsh: bool) -> list[ArticleRecord]:
    """Each publisher's reports of the day, shuffled, bundled 1-6 to an article."""
    by_publisher: dict[int, list[Report]] = defaultdict(list)
    for r in reports:
        by_publisher[r.publisher].append(r)
    seen: set[str] = set()
    out = []
    for p in sorted(by_publisher):
        items = by_publisher[p]
        rnd.shuffle(items)
        while items:
            size = min(len(items), 1 + min(5, int(rnd.expovariate(0.7))))
            out.append(article(items[:size], day, rnd, seen, lsh=lsh))
            items = items[size:]
    return out


# --- the driver: days in order, articles in batches, the rate aimed at the target --------

@dataclass(frozen=True, slots=True)
class Summary:
    target: int
    happenings: int
    counts: WriteCounts
    seconds: float

    @property
    def events(self) -> int:
        return self.counts.events_added


@dataclass(slots=True)
class _Run:
    store: Store
    world: World
    bursts: list[Burst]
    target: int
    batch: int
    rnd: random.Random
    rng: np.random.Generator
    lsh: bool
    bar: tqdm[object]
    n_days: int = (END - START).days + 1
    happenings: int = 0
    scale: float = 0.0
    counts: WriteCounts = field(default_factory=WriteCounts)
    pending: defaultdict[int, list[Report]] = field(default_factory=lambda: defaultdict(list))
    buffer: list[ArticleRecord] = field(default_factory=list)

    def run(self) -> None:
        remaining = remaining_weight(self.bursts, self.n_days)
        for day in range(self.n_days):
            if day % CALIBRATE_DAYS == 0:
                self.flush()
                self.scale = self._aim(remaining[day])
            for h in self._happenings(day):
                for r in reports_of(h, self.world, self.n_days, self.rnd):
                    self.pending[r.day].append(r)
            self.buffer += articles_of_day(self.pending.pop(day, []), day, self.rnd,
                                           lsh=self.lsh)
            if len(self.buffer) >= self.batch:
                self.flush()
        self.flush()

    def _aim(self, weight_left: float) -> float:
        """Events a day per unit of season, so that the rest of the span meets the target.

        Reports of different happenings with the same dyad, root, polarity and modality
        within three days merge into one event: the share that survives is measured.
        """
        kept = self.counts.events_added / self.happenings if self.happenings else 0.9
        return max(0.0, self.target - self.counts.events_added) / (max(kept, 0.05) * weight_left)

    def _happenings(self, day: int) -> Iterator[Happening]:
        base = int(self.rng.poisson(self.scale * season(day)))
        draws: list[tuple[int, Burst | None]] = [
            (_pick(self.world.dyad_cum, self.rnd), None) for _ in range(base)]
        n = len(self.world.entities)
        for b in self.bursts:
            if rate := b.rate(day):
                # Either side may act in a crisis: a clash is reported both ways round.
                draws += [(b.dyad if self.rnd.random() < 0.6 else _reverse(b.dyad, n), b)
                          for _ in range(int(self.rng.poisson(self.scale * rate)))]
        self.happenings += len(draws)
        for dyad, burst in draws:
            yield happening(self.world, day, dyad, burst, self.rnd)

    def flush(self) -> None:
        if not self.buffer:
            return
        counts = self.store.write(self.buffer, coder=CODER, version=CODER_VERSION)
        self.counts.add(counts)
        self.bar.update(counts.events_added)
        self.bar.set_postfix(articles=self.counts.articles, mentions=self.counts.mentions)
        self.buffer = []


def stored_events(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.events)).scalar_one())


def generate(db: str, *, events: int, seed: int = 0, batch: int = 5000, append: bool = False,
             lsh: bool = False, progress: bool = True) -> Summary:
    """Fill the store at ``db`` with about ``events`` synthetic events; what was written."""
    with Store(db, merge_days=DEFAULT_MERGE_DAYS) as store:
        if not append and (held := stored_events(store)):
            raise StoreError(f"{store.display_url} already holds {held:,} events: give an "
                             "empty store, or --append (with another --seed: the same seed "
                             "makes the same articles, which the store skips as known)")
        rng = np.random.default_rng(seed)
        world = build_world(rng)
        n_days = (END - START).days + 1
        with tqdm(total=events, unit=" events", disable=not progress, file=sys.stderr,
                  dynamic_ncols=True) as bar:
            run = _Run(store, world, make_bursts(world, n_days, rng), events, batch,
                       random.Random(seed), rng, lsh, bar)
            start = time.perf_counter()
            run.run()
        return Summary(events, run.happenings, run.counts, time.perf_counter() - start)


# --- what the store holds: the distributions a benchmark cares about ----------------------

@dataclass(frozen=True, slots=True)
class Distribution:
    events: int
    actors: int  # distinct actor keys (countries, organisations)
    top: tuple[tuple[str, float], ...]  # actor key, share of events it takes part in
    multi_mention: float  # share of events with more than one mention
    mean_mentions: float


def distribution(db: str, *, top: int = 10) -> Distribution:
    """Actor shares (by actor key, either side) and mention counts of the stored events."""
    e = schema.events.c
    with Store(db, create=False) as store, store.engine.connect() as conn:
        pairs = conn.execute(select(e.source_code, e.target_code, func.count())
                             .group_by(e.source_code, e.target_code)).all()
        total, multi, mentions = conn.execute(select(
            func.count(), func.sum(case((e.num_mentions > 1, 1), else_=0)),
            func.sum(e.num_mentions))).one()
    shares: Counter[str] = Counter()
    for source, target, n in pairs:
        keys = {actor_key(c) for c in (source, target) if c}
        for k in keys:
            shares[k] += n
    total = int(total or 0)
    return Distribution(
        events=total, actors=len(shares),
        top=tuple((k, n / total) for k, n in shares.most_common(top)),
        multi_mention=int(multi or 0) / total if total else 0.0,
        mean_mentions=int(mentions or 0) / total if total else 0.0,
    )


# --- the command ----------------------------------------------------------------------

def _digest(summary: Summary) -> str:
    c = summary.counts
    rate = summary.events / summary.seconds if summary.seconds else 0.0
    known = f"; {c.already:,} articles skipped as already stored" if c.already else ""
    return (f"wrote {c.events_added:,} events (target {summary.target:,}), {c.mentions:,} "
            f"mentions, {c.articles:,} articles from {summary.happenings:,} happenings "
            f"in {summary.seconds:,.1f} s ({rate:,.0f} events/s){known}")


def _describe(d: Distribution) -> str:
    top = ", ".join(f"{k} {share:.1%}" for k, share in d.top)
    return (f"{d.events:,} events over {d.actors} actors; top: {top}\n"
            f"events with more than one mention: {d.multi_mention:.1%} "
            f"(mean {d.mean_mentions:.2f} mentions)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLite path or sqlite:/// or "
                        "postgresql:// URL")
    parser.add_argument("--events", type=int, default=1_000_000,
                        help="events to store, about (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=5000, help="articles per write")
    parser.add_argument("--append", action="store_true",
                        help="add to a store that already holds events")
    parser.add_argument("--lsh", action="store_true", help="MinHash near-duplicate bands "
                        "for each article, as ingest stores them (slower)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.events < 1 or args.batch < 1:
        parser.error("--events and --batch must be at least 1")
    try:
        summary = generate(args.db, events=args.events, seed=args.seed, batch=args.batch,
                           append=args.append, lsh=args.lsh, progress=not args.quiet)
        print(_digest(summary))
        print(_describe(distribution(args.db)))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
