"""Given names and their nicknames: BOB is ROBERT, PEPE is JOSE, JOHNNY may be JUAN.

Tables in matching/data (nicknames.csv, nickname_preferred.csv, nickname_equivalents.csv), every
name already in fold() form. To test whether two given names can be the same person, intersect
their groups: ``nickname_group(a) & nickname_group(b)``. ``nickname_canon`` picks one canonical
per diminutive and is meant for blocking/indexing, not for the final decision.

Vietnamese given names need no table: once fold() removes the diacritics (including the stroke
in Đ), the US spellings are identical. Korean given names vary per syllable (SEONG/SUNG,
YEONG/YOUNG), a romanisation problem left to the phonetic key.

Beside them, the English names and nicknames the PyPI ``nicknames`` package publishes
(``published_names``, ``published_link``): they link more names (MARC for MARCUS, SADIE for
SARAH) and less surely (BERT is ALBERT, ALBERTA, HERBERT, ROBERTA...), so they are a comparison
level of their own, never a blocking key: ``nickname_canon`` reads our tables only (the roll's
stored keys depend on it). Measured in matching/README.md.
"""

from functools import cache

from nicknames import name_triplets

from matching.datafiles import rows
from matching.names import first_key

__all__ = [
    "nickname_canon", "nickname_group", "nickname_initials", "published_link", "published_names",
    "published_names_of_names", "shortens", "tables",
]  # fmt: skip


@cache
def tables() -> dict[str, dict[str, tuple[str, ...]]]:
    """Each table (english, spanish, armenian): canonical given name -> names it may be written
    as. A diminutive may be under several canonicals (BETO: ALBERTO, ROBERTO...)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows("nicknames.csv"):
        out.setdefault(row["table"], {})[row["canonical"]] = tuple(row["variants"].split())
    return out


@cache
def preferred() -> dict[str, str]:
    """For each ambiguous diminutive, the one canonical nickname_canon returns."""
    return {row["diminutive"]: row["canonical"] for row in rows("nickname_preferred.csv")}


@cache
def english_spanish() -> tuple[tuple[str, str], ...]:
    """(English, Spanish) forms of one given name (JOHN, JUAN)."""
    return tuple((row["english"], row["spanish"]) for row in rows("nickname_equivalents.csv"))


@cache
def _index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Invert the canonical -> diminutives tables into token -> canonical and token -> group."""
    groups: dict[str, set[str]] = {}
    for table in tables().values():
        for canonical, variants in table.items():
            groups.setdefault(canonical, set()).add(canonical)
            for variant in variants:
                groups.setdefault(variant, {variant}).add(canonical)
    # English and Spanish forms of one name compare as the same name (JOHNNY ~ JUAN).
    equivalents: dict[str, set[str]] = {}
    for english, spanish in english_spanish():
        equivalents.setdefault(english, set()).add(spanish)
        equivalents.setdefault(spanish, set()).add(english)
    wider = {
        token: members.union(*(equivalents.get(m, ()) for m in members))
        for token, members in groups.items()
    }
    canon: dict[str, str] = {}
    for token, members in groups.items():
        others = members - {token}
        if token in preferred():
            canon[token] = preferred()[token]
        elif not others or _is_canonical(token):
            # A canonical name (ROBERT) maps to itself even if it is also listed elsewhere.
            canon[token] = token
        else:
            # Unambiguous diminutive; an ambiguous one without a PREFERRED entry is caught by a
            # test, and min() keeps the choice deterministic meanwhile.
            canon[token] = min(others)
    return canon, {token: frozenset(members) for token, members in wider.items()}


def _is_canonical(token: str) -> bool:
    return any(token in table for table in tables().values())


@cache
def _variants() -> dict[str, set[str]]:
    """Canonical name -> every token that may stand for it (ROBERT -> BOB, ROB, ROBERTO...)."""
    variants: dict[str, set[str]] = {}
    for token, members in _index()[1].items():
        for member in members:
            variants.setdefault(member, {member}).add(token)
    return variants


def nickname_initials(key: str) -> frozenset[str]:
    """First letters a name may be written with: its own, and its diminutives' (B for ROBERT)."""
    names = _variants().get(key, {key})
    return frozenset(n[0] for n in names if n)


def nickname_canon(key: str) -> str:
    """Canonical given name for a first-name token: 'BOB' -> 'ROBERT', 'PEPE' -> 'JOSE'.

    Ambiguous diminutives get the single canonical chosen in nickname_preferred.csv (BETO ->
    ROBERTO, TONY -> ANTHONY, FRANK -> FRANCISCO). A token not in the tables maps to itself.
    The key should already be a folded token; other input is folded to its first token.
    """
    hit = _index()[0].get(key)
    if hit is not None:
        return hit
    token = first_key(key)
    return _index()[0].get(token, token)


def nickname_group(key: str) -> frozenset[str]:
    """Every canonical name a token may stand for, the token itself included.

    'BETO' -> {'BETO', 'ALBERTO', 'ROBERTO', 'HUMBERTO', ...}; 'ROBERT' -> {'ROBERT'}.
    Two tokens can be the same given name when their groups intersect.
    """
    hit = _index()[1].get(key)
    if hit is not None:
        return hit
    token = first_key(key)
    return _index()[1].get(token) or frozenset((token,))


@cache
def published_names() -> dict[str, frozenset[str]]:
    """Nickname -> the given names it stands for, from the ``nicknames`` package (1.0.1, Apache
    2.0), folded: 'SADIE' -> {SARAH, MERCEDES}; plus nicknames_published_additions.csv.

    Its rows say "name has_nickname nickname", and not only nicknames: some list a pair both
    ways (ADELA has DELLA, DELLA has ADELA; MARVIN has MARV, MARV has MARVIN), some link two
    names in their own right (AARON has RON, RON has RONNIE; EMILY has EMMA). Kept: nickname ->
    name pairs only. Of a pair listed both ways, the row whose nickname is the longer is left out
    (a nickname is not longer than its name); then a "nickname" that has nicknames of its own
    is a name, and its links are left out (RON, EMMA, DELLA, BERT)."""
    pairs = _published_pairs()
    with_nicknames = {name for name, _ in pairs}
    names: dict[str, set[str]] = {}
    for name, nickname in pairs:
        if nickname not in with_nicknames:
            names.setdefault(nickname, set()).add(name)
    for row in rows("nicknames_published_additions.csv"):
        names.setdefault(row["nickname"], set()).add(row["name"])
    return {nickname: frozenset(found) for nickname, found in names.items()}


@cache
def _published_pairs() -> frozenset[tuple[str, str]]:
    """The package's (name, nickname) rows, folded, less the other way round of a pair listed
    both ways."""
    pairs = {
        (t.name1.upper(), t.name2.upper())
        for t in name_triplets()
        if t.relationship == "has_nickname" and t.name1.isalpha() and t.name2.isalpha()
    }
    return frozenset((name, nick) for name, nick in pairs if not _reverse(pairs, name, nick))


@cache
def published_names_of_names() -> dict[str, frozenset[str]]:
    """The links ``published_names`` leaves out: a "nickname" that has nicknames of its own ->
    the names the package gives it ('PATSY' -> {MARTHA, PATRICIA, PATRICK}, 'ELLIE' -> {HELEN,
    ELEANOR...}, 'RON' -> {AARON, RONALD...}). Names in their own right as often as nicknames:
    matching.household reads them only at the voter's own address, when no one else there fits."""
    pairs = _published_pairs()
    with_nicknames = {name for name, _ in pairs}
    names: dict[str, set[str]] = {}
    for name, nickname in pairs:
        if nickname in with_nicknames:
            names.setdefault(nickname, set()).add(name)
    return {nickname: frozenset(found) for nickname, found in names.items()}


def _reverse(pairs: set[tuple[str, str]], name: str, nickname: str) -> bool:
    """The row is the other way round of a pair listed both ways (MARV has_nickname MARVIN)."""
    return (nickname, name) in pairs and len(nickname) > len(name)


def published_link(a: str, b: str) -> int:
    """How many names the nickname linking two given names stands for in the published list: 1
    for MARC and MARCUS (MARC is only MARCUS), 4 for EM and EMILY (EM is also EMELINE, EMIL,
    EMMA), the larger count for two nicknames of one name (BERTIE and BERT); 0 when the list
    does not link them."""
    return _published_links().get(a, _NO_LINKS).get(b, 0)


_NO_LINKS: dict[str, int] = {}


@cache
def _published_links() -> dict[str, dict[str, int]]:
    """published_link's answers, worked out once: given name -> the names the list links it
    to -> the count (one dict lookup for the many names it does not list)."""
    links: dict[str, dict[str, int]] = {}

    def link(a: str, b: str, count: int) -> None:
        for x, y in ((a, b), (b, a)):
            known = links.setdefault(x, {})
            known[y] = max(known.get(y, 0), count)

    by_name: dict[str, list[str]] = {}
    for nickname, names in published_names().items():
        for name in names:
            link(nickname, name, len(names))
            by_name.setdefault(name, []).append(nickname)
    listed = published_names()
    for nicknames_of_name in by_name.values():
        for a in nicknames_of_name:
            for b in nicknames_of_name:
                if a != b:
                    link(a, b, max(len(listed[a]), len(listed[b])))
    # A direct link (the nickname of that name) counts the nickname's names, not the larger
    # count of a shared name.
    for nickname, names in listed.items():
        for name in names:
            links[nickname][name] = links[name][nickname] = len(names)
    return links


_DIMINUTIVE_ENDINGS = ("IE", "EY", "EE", "Y", "I")


def shortens(a: str, b: str) -> bool:
    """One name is the other cut short, perhaps with a diminutive ending: MARC and MARCUS, MARV
    and MARVIN, CHRISSY and CHRISTINE; not FELIX and FELICIA, nor LLOYD and FLOYD."""
    short, full = sorted((a, b), key=len)
    if len(short) < 2 or short == full:
        return False
    if full.startswith(short):
        return True
    for ending in _DIMINUTIVE_ENDINGS:
        stem = short.removesuffix(ending)
        if len(stem) > 2 and stem[-1] == stem[-2]:
            stem = stem[:-1]  # CHRISSY, TAMMY: the consonant is doubled before the ending
        if stem != short and len(stem) > 1 and full.startswith(stem):
            return True
    return False
