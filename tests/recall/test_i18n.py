"""The app in English and Spanish: each user's choice kept and applied at login, else the
browser's; the switcher; dates and numbers as the county writes them in each language."""

import gettext
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

from petitions.templatetags.display import when
from recall.models import Profile

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"


def _lang(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=")
    return html[start + 12 : html.index('"', start + 12)]


@pytest.mark.django_db
def test_the_browser_language_is_used_before_anyone_chooses(client):
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")) == "es"
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US")) == "en"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Contraseña" in page.content.decode()


def test_a_volunteer_choice_is_kept_for_the_next_login(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/petitions/"})
    assert response.status_code == 302
    assert response["Location"] == "/petitions/"
    assert Profile.objects.get(user=volunteer).language == "es"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "es"

    # Another browser, which asks for English: the volunteer's choice wins from the login on.
    other = Client()
    other.force_login(volunteer)
    page = other.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert _lang(page) == "es"
    assert "Cerrar sesión" in page.content.decode()


def test_switching_back_to_english(client, volunteer):
    Profile.objects.create(user=volunteer, language="es")
    client.force_login(volunteer)
    assert _lang(client.get("/")) == "es"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Profile.objects.get(user=volunteer).language == "en"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "en"


@pytest.mark.django_db
def test_the_switcher_is_on_the_login_page_and_needs_a_post(client):
    page = client.get(reverse("login")).content.decode()
    assert 'id="language-switcher"' in page
    assert 'name="language" value="es"' in page
    assert client.get(reverse("set_language")).status_code == 405
    # Anonymous: the cookie only, nobody's profile.
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    assert not Profile.objects.exists()


def test_an_unknown_language_is_not_kept(client, volunteer):
    client.force_login(volunteer)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert not Profile.objects.exists()
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_dates_and_numbers_per_language():
    with translation.override("es"):
        assert date_format(date(2026, 3, 1)) == "1 de marzo de 2026"
        assert number_format(1234.5, decimal_pos=1, force_grouping=True) == "1,234.5"
        # Dates are keyed off American sheets: month first in Spanish too.
        assert forms.DateField().clean("03/01/2026") == date(2026, 3, 1)
        assert when("2026-12-06T05:25:00+00:00") == "5 de diciembre, 21:25 PST"
    with translation.override("en"):
        assert date_format(date(2026, 3, 1)) == "March 1, 2026"
        assert number_format(1234.5, decimal_pos=1, force_grouping=True) == "1,234.5"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_spanish_catalogue_is_complete_and_compiled(tmp_path, domain):
    """Every message translated (none empty, none fuzzy, placeholders kept: msgfmt --check), and
    each committed .mo is its compiled .po (`make messages` after editing one)."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: make gettext (Debian's gettext package)"
    compiled = tmp_path / f"{domain}.mo"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(compiled), str(CATALOGUE / f"{domain}.po")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    with compiled.open("rb") as fresh, (CATALOGUE / f"{domain}.mo").open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        assert gettext.GNUTranslations(committed)._catalog == expected  # type: ignore[attr-defined]
    assert len(expected) > (100 if domain == "django" else 10)
