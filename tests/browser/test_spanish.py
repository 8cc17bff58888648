"""A volunteer who works in Spanish: chooses Español in the navbar, keys a line, reads the hint."""

import pytest
from django.core.management import call_command

from petitions.services import petition_create
from recall.models import Profile
from tests.browser.conftest import ARTIFACTS, csp_violations
from tests.voters.factories import voter, write_canonical

pytestmark = [pytest.mark.browser]

ROLL = [
    voter("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12", street_name="OAK",
          street_type="AVE", city="GLENDALE", zip="91201"),
]  # fmt: skip


def test_a_volunteer_chooses_spanish_and_keys_a_line(log_in, page, screenshot, volunteer, tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition_create(title="Recall the DA", slug="la-da", required=1000)

    log_in(volunteer)
    assert page.get_attribute("html", "lang") == "en"
    page.click("#language-switcher button[value=es]")
    page.wait_for_selector("html[lang=es]")
    assert Profile.objects.get(user=volunteer).language == "es"
    assert "Le damos la bienvenida" in page.inner_text("h1")

    page.click("#main-nav >> text=Peticiones")
    page.click("text=Nueva sección")
    page.wait_for_function("() => document.activeElement.name === 'serial'")
    for value in ("12", "Ana Ruiz", "100 Elm St, Pasadena"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-entry")
    assert "Sección 12" in page.inner_text("h1")
    page.wait_for_function("() => document.activeElement.name === 'printed_name'")

    for value in ("Bob Smithers", "12 Oak Ave"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.type("Glendale")
    # The live hint, in Spanish, with the voter found.
    page.wait_for_selector("#hint-box[data-outcome=counts]")
    hint = page.inner_text("#hint-box")
    assert "Probablemente cuenta" in hint
    assert "ROBERT SMITHERS" in hint
    screenshot("spanish-entry-hint")

    page.keyboard.press("Enter")
    page.wait_for_selector("#line-1[data-status=pending]")
    # The script's own messages come from the JavaScript catalogue.
    page.wait_for_selector("#save-state:has-text('Guardada.')")
    row = page.inner_text("#line-1")
    assert "Pendiente" in row
    assert "sí" in row
    screenshot("spanish-entry")


def test_a_browser_in_spanish_gets_the_login_page_in_spanish(browser, live_server):
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 600})
    page = context.new_page()
    refused = csp_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_attribute("html", "lang") == "es"
    assert page.inner_text("h1") == "Iniciar sesión"
    assert "Contraseña" in page.inner_text("main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "spanish-login.png"))
    context.close()
    assert not refused, refused
