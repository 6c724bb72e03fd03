"""Finding actor mentions in text: longest dictionary matches, composed into phrases.

The composed shapes, left to right, each resolved to one code:

- an actor alone: "Venezuela", "Hamas", "the Kremlin" (a leading "the" is left out);
- actor + role: "Venezuelan army", "Venezuela's defence minister" (adjectives may take
  one modifier word between: "Israeli battle tanks");
- role + "of" + actor: "the president of France";
- [actor +] role + person: "Iranian Foreign Minister Mohammad Javad Zarif", "President
  Putin" (the title in the text decides the role; an unknown name is kept in the span);
- "former"/"ousted" before a role or person: the role becomes ELI (elite);
- a role alone: "rebels" -> REB with no country.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegiance.records import ActorCode, ActorMention

from ._model import DatedCode, choose_code
from ._tables import GENERIC_PREFIXES, Tables, split_code
from ._tokens import Token, tokenize

__all__ = ["Matcher"]

_FORMER = frozenset({"former", "ousted", "ex", "deposed", "exiled", "late", "outgoing",
                     "then"})
# Lower-case words that may sit inside a person's name ("Lula da Silva").
_PARTICLES = frozenset({"da", "de", "del", "der", "dos", "das", "di", "van", "von", "bin",
                        "ibn", "al", "el", "la", "le", "abu", "ben"})
# Capitalised words after a title that are not names ("the army Tuesday").
_NOT_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "i", "the", "on", "in", "and",
})
_MAX_NAME = 5


@dataclass(frozen=True, slots=True)
class _Found:
    end: int  # token index, exclusive
    actor: ActorCode | None  # None: a named non-actor that blocks the words


class Matcher:
    """Matches one text against :class:`Tables` for one date (an ordinal day)."""

    def __init__(self, tables: Tables, text: str, day: int) -> None:
        self.t = tables
        self.text = text
        self.day = day
        self.tokens: list[Token] = tokenize(text)
        self.norms = [tok.norm for tok in self.tokens]

    def mentions(self) -> list[ActorMention]:
        found: list[ActorMention] = []
        i, n = 0, len(self.tokens)
        while i < n:
            hit = self._former(i) if self.norms[i] in _FORMER else None
            if hit is None:
                hit = self._mention(i)
            if hit is None:
                i += 1
                continue
            if hit.actor is not None:
                first, last = self.tokens[i], self.tokens[hit.end - 1]
                found.append(ActorMention(self.text[first.start:last.end], first.start,
                                          last.end, hit.actor))
            i = hit.end
        return found

    # -- dictionary look-ups ------------------------------------------------------------

    def _actor_at(self, i: int) -> tuple[int, DatedCode | None] | None:
        """The longest actor key at token ``i`` (end, chosen code), case rules applied."""
        t, norms = self.t, self.norms
        longest = t.actor_first.get(norms[i])
        if longest is None:
            return None
        for size in range(min(longest, len(norms) - i), 0, -1):
            key = tuple(norms[i:i + size])
            gid = t.actor_keys.get(key)
            if gid is not None and self._case_ok(key, i, size):
                codes = tuple(DatedCode(*c) for c in t.groups[gid])
                return i + size, choose_code(codes, self.day) or self._out_of_term(codes)
        return None

    def _out_of_term(self, codes: tuple[DatedCode, ...]) -> DatedCode | None:
        """Someone outside all their dated terms is still of their country: an elite."""
        last = codes[-1].code if codes else None
        if last is None or last[:3] in GENERIC_PREFIXES or last[:3] in self.t.roles:
            return None
        return DatedCode(last if len(last) == 3 else last[:3] + "ELI")

    def _case_ok(self, key: tuple[str, ...], i: int, size: int) -> bool:
        """Names need a capital letter; acronyms and common words need all capitals."""
        raws = [tok.raw for tok in self.tokens[i:i + size]]
        if key in self.t.upper_only:
            raw = raws[0]
            return len(raw) > 1 and (raw.isupper() or "." in raw)
        return any(raw[0].isupper() for raw in raws)

    def _agent_at(self, i: int) -> tuple[int, str, bool] | None:
        """The longest role phrase at token ``i``: (end, code, prefix)."""
        t, norms = self.t, self.norms
        if i >= len(norms):
            return None
        longest = t.agent_first.get(norms[i])
        if longest is None:
            return None
        for size in range(min(longest, len(norms) - i), 0, -1):
            value = t.agent_keys.get(tuple(norms[i:i + size]))
            if value is not None:
                return i + size, value[0], value[1]
        return None

    def _code(self, code: str, *, from_actor: bool = False) -> ActorCode:
        return split_code(code, self.t, from_actor=from_actor)

    def _with_role(self, base: ActorCode, role: str, prefix: bool) -> ActorCode:
        country = base.code if base.agent is None else (base.country or "")
        # Led by the actor's country (MUS + GOV), the code starts with a country.
        return self._code(role + country if prefix else country + role,
                          from_actor=bool(country) and not prefix)

    # -- composition --------------------------------------------------------------------

    def _mention(self, i: int) -> _Found | None:
        actor = self._actor_at(i)
        agent = self._agent_at(i)
        if actor is not None and (agent is None or actor[0] >= agent[0]):
            end, dated = actor
            if dated is None or dated.code is None:
                return _Found(end, None)
            return self._after_actor(i, end, self._code(dated.code, from_actor=True))
        if agent is not None:
            return self._after_role(agent[0], None, agent[1], agent[2])
        return None

    def _after_actor(self, i: int, end: int, base: ActorCode) -> _Found:
        """Actor + role (+ person): "Venezuelan army", "Russia's foreign ministry"."""
        if base.agent is not None:
            return _Found(end, base)
        norms = self.norms
        role = None
        if end < len(norms) and norms[end] == "'s":
            role = self._agent_at(end + 1)
        else:
            role = self._agent_at(end)
            if role is None and tuple(norms[i:end]) in self.t.adjectives:
                role = self._modified_role(end)
        if role is None:
            return _Found(end, base)
        return self._after_role(role[0], base, role[1], role[2])

    def _modified_role(self, k: int) -> tuple[int, str, bool] | None:
        """One lower-case modifier between an adjective and a role ("oil minister")."""
        if k >= len(self.tokens) or not self.tokens[k].raw.islower():
            return None
        if self._actor_at(k) is not None or not self._adjacent(k):
            return None
        return self._agent_at(k + 1)

    def _after_role(self, end: int, base: ActorCode | None, role: str,
                    prefix: bool) -> _Found:
        """What may follow a role: "of France", a person, or a name."""
        norms = self.norms
        if base is None and end < len(norms) and norms[end] == "of":
            k = end + 1 + (end + 1 < len(norms) and norms[end + 1] == "the")
            place = self._actor_at(k) if k < len(norms) else None
            if place is not None and place[1] is not None and place[1].code is not None:
                owner = self._code(place[1].code, from_actor=True)
                if owner.agent is None:
                    return _Found(place[0], self._with_role(owner, role, prefix))
        person = self._person_at(end)
        if person is not None:
            p_end, p_code = person
            known = base if base is not None else p_code
            if known is not None and known.country is not None:
                return _Found(p_end, self._with_role(known, role, prefix))
            return _Found(p_end, self._code(role))
        if base is not None:
            return _Found(end, self._with_role(base, role, prefix))
        return _Found(end, self._code(role))

    def _person_at(self, k: int) -> tuple[int, ActorCode | None] | None:
        """A person after a title: a dictionary person, or capitalised name words."""
        if k >= len(self.tokens) or not self._adjacent(k):
            return None
        actor = self._actor_at(k)
        if actor is not None:
            dated = actor[1]
            if dated is None or dated.code is None:
                return None
            code = self._code(dated.code, from_actor=True)
            return (actor[0], code) if code.agent is not None else None
        end = k
        while end < len(self.tokens) and end - k < _MAX_NAME and self._adjacent(end):
            raw, norm = self.tokens[end].raw, self.norms[end]
            name_word = raw[0].isupper() and norm not in _NOT_NAMES
            if not (name_word or (norm in _PARTICLES and end > k)):
                break
            if name_word and norm in self.t.actor_first and self._actor_at(end) is not None:
                break  # "Minister Lavrov Moscow": the next actor is no part of the name
            end += 1
        while end > k and self.norms[end - 1] in _PARTICLES:
            end -= 1
        return (end, None) if end > k else None

    def _adjacent(self, k: int) -> bool:
        """Token ``k`` follows the previous one after a space or a hyphen ("Saudi-led")."""
        gap = self.text[self.tokens[k - 1].end:self.tokens[k].start]
        return gap.strip() in ("", "-")

    def _former(self, i: int) -> _Found | None:
        """"former President X", "ousted leader": the role becomes ELI (elite)."""
        if i + 1 >= len(self.tokens):
            return None
        hit = self._mention(i + 1)
        if hit is None or hit.actor is None or hit.actor.agent is None:
            return None
        if hit.actor.country is None:
            return _Found(hit.end, self._code("ELI"))
        return _Found(hit.end, self._code(hit.actor.country + "ELI"))
