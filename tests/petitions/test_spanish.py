"""A volunteer who works in Spanish: every page and answer they see has no English message of
the catalogue left in it (README, Languages)."""

import datetime
import gettext
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from petitions.models import Petition, Section
from recall.models import Profile
from tests.petitions.helpers import add, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.mo"
ROLL = [
    voter("200000001", first_name="ROBERT", last_name="SMITHERS", house_number="12",
          street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201"),
    voter("200000002", first_name="NORA", last_name="LINDQVIST", house_number="66",
          street_name="BIRCH", street_type="LN", city="BURBANK", zip="91502"),
]  # fmt: skip
HTMX = {"HX-Request": "true"}
# Text a person reads besides the text itself: tooltips, labels for screen readers, placeholders.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%s|<[^>]+>")


class _Text(HTMLParser):
    """The text a reader meets on a page: text nodes (not scripts) and read attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def _text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def _english(catalogue: dict, html: str) -> set[str]:
    """The catalogue's English messages found in a page: a message as a whole text node, or a
    run of three words or more of it (between its placeholders and tags) inside the text."""
    nodes = _text_nodes(html)
    whole = set(nodes)
    text = " ".join(nodes)
    found = set()
    for msgid, msgstr in catalogue.items():
        if msgid == msgstr:
            continue
        if msgid in whole:
            found.add(msgid)
            continue
        for run in PLACEHOLDER.split(msgid):
            run = " ".join(run.split()).strip(" .,:;()")
            if len(run.split()) >= 3 and run not in msgstr and run in text:
                found.add(msgid)
    return found


@pytest.fixture
def catalogue() -> dict[str, str]:
    with CATALOGUE.open("rb") as mo:
        raw = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    # Plural forms are keyed (msgid, n); contexts are "context\x04msgid".
    out = {}
    for key, value in raw.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid:
            out[msgid.split("\x04")[-1]] = value
    return out


@pytest.fixture
def petition(tmp_path, volunteer):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10,
                                       filed_on=datetime.date(2026, 8, 15))  # fmt: skip
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    for fields in (
        ("Robert Smithers", "12 Oak Ave", "Glendale"),  # valid
        ("Bob Smithers", "12 Oak Avenue", "Glendale"),  # duplicate of line 1
        ("Quentin Marlowe", "4 Nowhere Rd", "Glendale"),  # not registered
        ("", "", ""),  # incomplete
        ("Robert Smithers", "9 Ash Ct", "Glendale"),  # another Robert Smithers, not registered
    ):
        add(petition, *fields)
    validate(petition)
    return petition


def _pages(client) -> dict[str, str]:
    section = reverse("petitions:section", args=["test", 1])
    line_add = reverse("petitions:line_add", args=["test", 1])
    hint = reverse("petitions:hint", args=["test", 1])
    typed = {"residence_address": "12 Oak Ave", "city": "Glendale", "zip": "", "signed": "on"}
    answers = {
        "home": client.get("/"),
        "petitions": client.get(reverse("petitions:list")),
        "sections": client.get(reverse("petitions:sections", args=["test"])),
        "new section": client.get(reverse("petitions:section_new", args=["test"])),
        "new section, errors": client.post(
            reverse("petitions:section_new", args=["test"]),
            {"serial": "1", "circulated_from": "2026-09-10", "circulated_to": "2026-09-01"},
        ),
        "section with lines": client.get(section),
        "line saved": client.post(
            line_add, {**typed, "printed_name": "Nora Lindqvist", "residence_address":
                       "66 Birch Ln", "city": "Burbank", "client_token": str(uuid.uuid4())},
            headers=HTMX,
        ),
        "line refused": client.post(
            line_add, {**typed, "printed_name": "Robert Smithers", "zip": "9OO12",
                       "client_token": str(uuid.uuid4())}, headers=HTMX,
        ),
        "line without a name": client.post(
            line_add, {"printed_name": "", "residence_address": "", "client_token":
                       str(uuid.uuid4())}, headers=HTMX,
        ),
        "hint, counts": client.get(hint, {**typed, "printed_name": "Nora Lindqvist",
                                          "residence_address": "66 Birch Ln", "city": "Burbank"}),
        "hint, already signed": client.get(hint, {**typed, "printed_name": "Robert Smithers"}),
        "hint, not found": client.get(hint, {**typed, "printed_name": "Quentin Marlowe"}),
        "line page": client.get(reverse("petitions:line_edit", args=["test", 1, 3])),
    }  # fmt: skip
    for name, response in answers.items():
        assert response.status_code in (200, 422), (name, response.status_code)
    return {name: response.content.decode() for name, response in answers.items()}


def test_a_spanish_volunteer_meets_no_english_message(client, volunteer, petition, catalogue):
    Profile.objects.create(user=volunteer, language="es")
    client.force_login(volunteer)
    pages = _pages(client)
    for name in ("home", "petitions", "sections", "new section", "section with lines"):
        assert '<html lang="es">' in pages[name], name
    # What each page is for, in Spanish (the checks below would pass on an empty page).
    assert "Secciones" in pages["sections"]
    assert "Guardar línea" in pages["section with lines"]
    assert "Duplicada" in pages["section with lines"]
    # Reasons, said in Spanish part by part (petitions.reasons).
    assert "firmó más de una vez: también en la sección 1, línea 1" in pages["section with lines"]
    assert "no hay ningún votante registrado con este nombre" in pages["section with lines"]
    assert "English" in pages["home"]  # the switcher names each language in its own
    assert "La circulación no puede terminar antes de empezar." in pages["new section, errors"]
    assert "no es un código postal" in pages["line refused"]
    assert "Probablemente cuenta" in pages["hint, counts"]
    assert "Ya firmó en la sección 1, línea 1" in pages["hint, already signed"]
    assert "No aparece en el padrón electoral" in pages["hint, not found"]
    english = {name: _english(catalogue, html) for name, html in pages.items()}
    assert {name: found for name, found in english.items() if found} == {}


def test_the_check_finds_english_on_an_english_page(client, volunteer, petition, catalogue):
    """The same check on the same pages in English finds the catalogue's messages."""
    client.force_login(volunteer)
    pages = _pages(client)
    assert '<html lang="en">' in pages["home"]
    assert "Save line" in _english(catalogue, pages["section with lines"])
    assert "Will likely count" in _english(catalogue, pages["hint, counts"])
    assert "Type the printed name or the address, or save the line as Blank / crossed out." in (
        _english(catalogue, pages["line without a name"])
    )


def test_an_organizer_in_spanish_meets_no_english_message(client, organizer, petition, catalogue):
    Profile.objects.create(user=organizer, language="es")
    client.force_login(organizer)
    line = petition.lines.get(number=3)
    pages = {
        name: client.get(url).content.decode()
        for name, url in (
            ("dashboard", reverse("petitions:dashboard", args=["test"])),
            ("petitions", reverse("petitions:list")),
            ("new petition", reverse("petitions:new")),
            ("review", reverse("petitions:review_line", args=["test", line.pk])),
            ("section", reverse("petitions:section", args=["test", 1])),
        )
    }
    # The facts of the roll behind a reason, which only the roles that decide lines see.
    assert "[firmó como 200000001]" in pages["section"]
    assert "Por qué fallan las líneas" in pages["dashboard"]
    assert "Firmantes: no registrados" in pages["dashboard"]
    assert "<th>Ciudad</th>" in pages["dashboard"]
    assert "Crear la petición" in pages["new petition"]
    english = {name: _english(catalogue, html) for name, html in pages.items()}
    assert {name: found for name, found in english.items() if found} == {}
