"""The content security policy holds on the pages people use, and the lock-out page is clear."""

import pytest

from recall.models import audit
from tests.browser.conftest import csp_violations

pytestmark = pytest.mark.browser


def test_the_policy_check_catches_an_inline_style(browser, live_server):
    """The guard every browser test runs (tests/browser/conftest.py) can fail."""
    context = browser.new_context()
    page = context.new_page()
    refused = csp_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
            const script = document.createElement("script");
            script.textContent = "window.ran = 1";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None  # the inline script did not run
    context.close()
    assert any("inline style" in text or "style-src" in text for text in refused), refused
    assert any("script-src" in text for text in refused), refused


def test_a_locked_account_is_told_why_and_for_how_long(page, live_server, volunteer, screenshot,
                                                       settings):  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        page.fill("input[name=username]", volunteer.username)
        page.fill("input[name=password]", f"wrong-guess-{attempt}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    message = page.inner_text("#locked-out")
    screenshot("login-locked-out")
    assert f"{settings.LOGIN_FAILURE_LIMIT} wrong passwords were given for the username" in message
    assert "ask an admin to unlock it" in message


def test_admin_pages_satisfy_the_policy(log_in, page, live_server, admin_user, volunteer,
                                        screenshot):  # fmt: skip
    audit(user=volunteer, action="lookup_flag", target=f"user {volunteer.username}",
          reason="over 5,000 look-ups today")  # fmt: skip
    log_in(admin_user)
    assert "1 flag in the last 7 days" in page.inner_text("#lookup-flags")
    page.click("#lookup-flags >> text=See who in the audit log")
    page.wait_for_selector("#events")
    assert "vera_volunteer made unusually many voter look-ups" in page.inner_text("#events")
    screenshot("audit-log")
    page.goto(f"{live_server.url}/admin/auth/user/{volunteer.pk}/change/")
    page.wait_for_selector("#nav-sidebar[aria-expanded]")  # set by the admin's own JS
    page.goto(f"{live_server.url}/voters/rolls/import/")
    page.wait_for_selector("input[type=file]")
    assert "scp " in page.inner_text("#import-folder")  # where the server's folder is, and how
    screenshot("voter-import-folder")
