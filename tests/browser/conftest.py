"""Playwright driving Debian's Chromium (Playwright's own browser download needs the internet)."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def csp_violations(page) -> list[str]:
    """Start collecting what Chromium reports refused by the content security policy."""
    refused: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text:
            where = message.location
            refused.append(f"{page.url} ({where.get('url')}:{where.get('lineNumber')}): "
                           f"{message.text[:160]}")  # fmt: skip

    page.on("console", note)
    return refused


@contextmanager
def checked_page(browser, **options):
    """A page in a context of its own (Playwright's new_context options), failing the test on
    any content security policy violation: no inline script or style, on any page visited."""
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    refused = csp_violations(page)
    yield page
    context.close()
    assert not refused, "content security policy violations:\n" + "\n".join(refused)


@pytest.fixture
def page(browser):
    with checked_page(browser, viewport={"width": 1280, "height": 860}) as page:
        yield page


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in_page(page, base: str, user, password: str = PASSWORD):
    """Log in through the login page, as a person would; returns the page on the start page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


@pytest.fixture
def log_in(page, live_server):
    return lambda user, password=PASSWORD: log_in_page(page, live_server.url, user, password)


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
