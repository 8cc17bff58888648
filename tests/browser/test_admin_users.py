"""An admin adds a user on our own users page and hands over the set-password link; the new
user sets a password and logs in; the admin reads it all in the audit log."""

import pytest

from tests.browser.conftest import log_in_page

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-fresh-long-passphrase-7"


def test_admin_adds_a_user_who_sets_a_password_and_logs_in(
    page, screenshot, live_server, admin_user, volunteer
):
    base = live_server.url
    log_in_page(page, base, admin_user)
    page.click("#main-nav >> text=Users")
    page.wait_for_selector("#users")
    page.click("text=Add a user")
    page.fill("input[name=username]", "nina_new")
    page.fill("input[name=first_name]", "Nina")
    page.fill("input[name=last_name]", "Nuevo")
    page.select_option("select[name=role]", "Reviewer")
    page.click("button:has-text('Add the user')")
    page.wait_for_selector("#set-password-link")
    page.click("button:has-text('Copy')")
    page.wait_for_selector("button:has-text('Copied')")
    screenshot("admin-users-link")
    link = page.input_value("#set-password-link")
    assert link.startswith(f"{base}/accounts/set-password/")

    page.click("text=Back to the users")
    row = page.inner_text("#users tr:has-text('nina_new')")
    assert "Nina Nuevo" in row
    assert "Reviewer" in row
    assert "never (no password set yet)" in row
    screenshot("admin-users")
    page.click("#users >> text=vera_volunteer")
    page.select_option("select[name=role]", "Organizer")
    page.click("button:has-text('Change the role')")
    assert "vera_volunteer is now Organizer." in page.inner_text("main")
    screenshot("admin-users-detail")

    page.click("button:has-text('Log out')")
    page.goto(link)
    assert page.inner_text("#set-password-username") == "nina_new"
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("button:has-text('Set the password')")
    page.wait_for_url(f"{base}/accounts/login/")
    assert "Your password is set" in page.inner_text("main")
    page.fill("input[name=username]", "nina_new")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    assert page.inner_text("#role") == "Reviewer"
    page.goto(link)
    assert "This link does not work" in page.inner_text("main")  # spent

    page.click("button:has-text('Log out')")
    log_in_page(page, base, admin_user)
    page.click("#main-nav >> text=Audit log")
    page.wait_for_selector("#events")
    events = page.inner_text("#events")
    assert "adam_admin added user nina_new as Reviewer" in events
    assert "adam_admin made a set-password link for nina_new" in events
    assert "nina_new changed their password" in events
    assert "nina_new logged in" in events
    assert "adam_admin changed vera_volunteer's role from Volunteer to Organizer" in events
    screenshot("audit-log-words")
    page.fill("input[name=user]", "nina_new")
    page.select_option("select[name=action]", "role_change")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**action=role_change**")
    assert page.inner_text("#event-count") == "1 event"
    screenshot("audit-log-filtered")
