"""People and households: names by origin group, ages, families, accents as registered."""

from __future__ import annotations

import random
import re
from bisect import bisect
from typing import Any

from devtools.synthetic import county
from devtools.synthetic.tables import DAYS_18, GROUPS, MIN_BIRTH, REF_ORD, YEAR, Area, Tables

# Leading words that make a surname one unit (DE LA CRUZ), not two surnames (GARCIA LOPEZ).
_PARTICLES = frozenset(("DE", "DEL", "LA", "LAS", "LOS", "DELA", "DELOS", "VAN", "VON", "DI", "DA"))
_ACCENT_WORD = re.compile(r"[A-Z]+(?: [A-Z]+)?")

# [first, middle, last, suffix, birth ordinal, group, sex]: a list of mixed types, not a
# tuple, since a household's steps edit its members in place (accents, twins, a son named
# after his father).
Person = list[Any]


class People:
    """Names, ages and households; shared by the roll and the petition-line generators."""

    def __init__(self, tables: Tables, rng: random.Random) -> None:
        self.t = tables
        self.rng = rng
        self.rnd = rng.random

    def group(self, area: Area) -> str:
        return GROUPS[bisect(area.group_cum, self.rnd())]

    def first(self, g: str, sex: str) -> str:
        if g in county.TWO_SYLLABLE_SHARE and self.rnd() < county.TWO_SYLLABLE_SHARE[g]:
            return self.two_syllables(g, sex)
        items, cum = self.t.first[g, sex]
        return items[bisect(cum, self.rnd())]

    def two_syllables(self, g: str, sex: str) -> str:
        """A Korean or Chinese given name of two syllables, registered joined, spaced or
        hyphenated (JIHOON, JI HOON, JI-HOON)."""
        syllables = county.GIVEN_SYLLABLES[g][sex]
        rnd = self.rnd
        one = syllables[int(rnd() * len(syllables))]
        two = syllables[int(rnd() * len(syllables))]
        r = rnd()
        return f"{one}{'' if r < 0.55 else ' ' if r < 0.9 else '-'}{two}"

    def surname(self, g: str) -> str:
        items, cum = self.t.surnames[g]
        rnd = self.rnd
        name = items[bisect(cum, rnd())]
        if g == "H" and " " not in name:
            r = rnd()
            if r < 0.19:  # two surnames, as registered by many Latin American-born voters
                other = items[bisect(cum, rnd())]
                if other != name:
                    name = f"{name}{' ' if r < 0.16 else '-'}{other}"
        return name

    def middle(self, g: str, sex: str) -> str:
        rnd = self.rnd
        r = rnd()
        if g == "V":
            if r < 0.55:
                return "VAN" if sex == "M" else "THI"
            return "" if r < 0.9 else self.first(g, sex)
        if g == "F" and r < 0.4:
            return first_part(self.surname(g))  # Filipino middle name: the mother's surname
        if g in ("K", "C", "J"):
            return "" if r < 0.7 else self.first(g, sex)[0] if r < 0.8 else self.first(g, sex)
        if r < 0.42:
            return ""
        name = self.first(g, sex)
        return name[0] if r < 0.62 else name

    def age(self, lo: int = 18, hi: int = 100) -> int:
        values, cum = self.t.age_values, self.t.age_cum
        for _ in range(8):
            a = values[bisect(cum, self.rnd())]
            if lo <= a <= hi:
                return a
        return lo + int(self.rnd() * (hi - lo + 1))

    def birth(self, age: int) -> int:
        b = REF_ORD - int((age + self.rnd()) * YEAR)
        return min(max(b, MIN_BIRTH), REF_ORD - DAYS_18)

    def person(self, g: str, sex: str, age: int, last: str | None = None) -> Person:
        """[first, middle, last, suffix, birth ordinal, group, sex]."""
        suffix = ""
        if sex == "M" and self.rnd() < 0.012:
            suffix = ("JR", "JR", "JR", "II", "III")[int(self.rnd() * 5)]
        first, middle = self.first(g, sex), self.middle(g, sex)
        return [
            first,
            "" if middle == first else middle,
            last if last is not None else self.surname(g),
            suffix,
            self.birth(age),
            g,
            sex,
        ]

    def household(self, area: Area, size: int) -> list[Person]:
        rnd = self.rnd
        g = self.group(area)
        if size == 1:
            people = [self.person(g, "M" if rnd() < 0.47 else "F", self.age())]
        elif rnd() < 0.78:
            people = self._family(area, g, size)
        else:
            people = self._shared(area, g, size)
        for p in people:
            if p[5] == "H" and rnd() < 0.3:  # keeps the accents they registered with
                p[0] = self.accent(p[0])
                p[1] = self.accent(p[1])
                p[2] = self.accent(p[2])
        return people

    def accent(self, name: str) -> str:
        if not name:
            return name
        acc = self.t.accented
        return _ACCENT_WORD.sub(lambda m: acc.get(m.group(), _accent_words(m.group(), acc)), name)

    def _family(self, area: Area, g: str, size: int) -> list[Person]:
        rnd = self.rnd
        n_kids = size - 2
        head_sex = "M" if rnd() < 0.85 else "F"
        head_age = self.age(38 if n_kids else 20, 97)
        head = self.person(g, head_sex, head_age)
        pg = g if rnd() < 0.9 else self.group(area)
        p_sex = ("F" if head_sex == "M" else "M") if rnd() < 0.95 else head_sex
        p_age = min(100, max(18, head_age + int((rnd() - rnd()) * 10)))
        maiden = self.surname(pg)
        r = rnd()
        if head_sex == "M" and p_sex == "F":
            keep = 0.55 if g == "H" and pg == "H" else 0.2
            if r < keep:
                p_last = maiden
            elif r < keep + 0.1:
                p_last = f"{first_part(maiden)}-{first_part(head[2])}"
            else:
                p_last = head[2]
        else:
            p_last = maiden
        partner = self.person(pg, p_sex, p_age, p_last)
        people = [head, partner]
        father_last = head[2] if head_sex == "M" else (maiden if p_sex == "M" else head[2])
        mother_last = maiden if head_sex == "M" else head[2]
        kids: list[Person] = []
        for k in range(n_kids):
            if k == 3 and rnd() < 0.5:  # an elderly parent rather than a fourth child
                age = min(100, head_age + 20 + int(rnd() * 12))
                people.append(self.person(g, "F" if rnd() < 0.65 else "M", age, head[2]))
                continue
            age = head_age - 20 - int(rnd() * 22)
            if age < 18:
                age = 18 + int(rnd() * 4)
            if g == "H" and pg == "H" and rnd() < 0.45:
                last = f"{first_part(father_last)} {first_part(mother_last)}"
            else:
                last = father_last
            kid = self.person(g, "M" if rnd() < 0.5 else "F", age, last)
            if g == "F" and rnd() < 0.6:
                kid[1] = first_part(mother_last)  # Filipino middle name: the mother's surname
            kids.append(kid)
        if kids:
            if len(kids) >= 2 and rnd() < 0.06:  # twins
                kids[1][4] = kids[0][4]
                kids[1][2] = kids[0][2]
            if head_sex == "M" and rnd() < 0.16:
                son = next((k for k in kids if k[6] == "M"), None)
                if son is not None:
                    son[0] = head[0]
                    if rnd() < 0.5:
                        son[1] = head[1]
                    son[2] = head[2]
                    son[3] = "JR"
                    head[3] = "SR"
        return people + kids

    def _shared(self, area: Area, g: str, size: int) -> list[Person]:
        rnd = self.rnd
        if rnd() < 0.5:  # siblings or cousins sharing a surname
            last = self.surname(g)
            base = self.age(18, 80)
            return [
                self.person(g, "M" if rnd() < 0.5 else "F", min(100, base + int(rnd() * 12)), last)
                for _ in range(size)
            ]
        people = []
        for _ in range(size):
            pg = g if rnd() < 0.7 else self.group(area)
            people.append(self.person(pg, "M" if rnd() < 0.5 else "F", self.age(18, 70)))
        return people


def _accent_words(phrase: str, acc: dict[str, str]) -> str:
    return " ".join(acc.get(w, w) for w in phrase.split(" "))


def first_part(surname: str) -> str:
    """GARCIA LOPEZ -> GARCIA; PEREZ-SOTO -> PEREZ; DE LA CRUZ stays whole."""
    if "-" in surname:
        return surname.split("-", 1)[0]
    toks = surname.split(" ")
    if len(toks) > 1 and toks[0] not in _PARTICLES:
        return toks[0]
    return surname


# ----------------------------------------------------------------------------------------------
