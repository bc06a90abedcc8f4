"""Sign-in, sign-out and password reset (django-allauth) through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from cypp.web.accounts import actions as accounts
from cypp.web.accounts.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Failed sign-ins are counted in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer():
    return accounts.add_user(
        "officer", Role.PERFORMANCE_OFFICER, email="officer@example.org", password=PASSWORD
    )


def test_sign_in_page_is_govuk_and_offers_no_sign_up(client) -> None:
    response = client.get(reverse("account_login"))
    text = response.text
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in text
    assert "govuk-service-navigation" in text and 'name="login"' in text
    assert reverse("account_reset_password") in text
    assert reverse("account_signup") not in text


def test_sign_in_by_username_or_email_goes_to_next(client, officer) -> None:
    response = client.post(
        reverse("account_login"), {"login": "officer", "password": PASSWORD, "next": "/imports/"}
    )
    assert response.status_code == 302 and response["Location"] == "/imports/"
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "officer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("data:home")


def test_sign_in_refuses_an_outside_next(client, officer) -> None:
    response = client.post(
        reverse("account_login"),
        {"login": "officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("data:home")


def test_wrong_password_is_an_error_linked_to_the_field(client, officer) -> None:
    response = client.post(reverse("account_login"), {"login": "officer", "password": "wrong"})
    text = response.text
    assert response.status_code == 200
    assert "There is a problem" in text and 'href="#login"' in text
    assert "<title>Error: Sign in" in text
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named(client) -> None:
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert 'href="#login"' in response.text and 'href="#password"' in response.text
    assert response.text.count("govuk-error-message") == 2


def test_failed_sign_ins_are_rate_limited(client, officer) -> None:
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "officer", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "officer", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed" in response.text


def test_sign_out_needs_a_post(client, officer) -> None:
    assert reverse("account_logout") not in client.get(reverse("plans:home")).text
    client.force_login(officer)
    assert reverse("account_logout") in client.get(reverse("plans:home")).text
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200 and "Sign out" in page.text and "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] == reverse("plans:home")
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client) -> None:
    response = client.get(reverse("account_signup"))
    assert "You cannot make an account here" in response.text
    response = client.post(
        reverse("account_signup"),
        {"username": "someone", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "You cannot make an account here" in response.text
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="someone").exists()


def test_password_reset_by_email(client, officer) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "officer@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer@example.org"]
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.text
    action = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    mismatch = client.post(
        action, {"password1": "new-long-pass-987", "password2": "other-pass-987"}
    )
    assert 'href="#password2"' in mismatch.text
    done = client.post(action, {"password1": "new-long-pass-987", "password2": "new-long-pass-987"})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("new-long-pass-987")
    again = client.get(link.group(1), follow=True)
    assert "This link cannot be used" in again.text


def test_reset_for_an_unknown_address_sends_nothing(client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and not mail.outbox


def test_old_sign_in_address_moved_permanently(client) -> None:
    response = client.get("/data/sign-in/?next=/data/")
    assert response.status_code == 301
    assert response["Location"] == reverse("account_login") + "?next=/data/"


def test_pages_that_need_an_account_send_people_to_sign_in(client, officer) -> None:
    response = client.get(reverse("data:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_an_account_made_without_a_password_chooses_one_by_reset(client) -> None:
    accounts.add_user("lee", Role.BOARD_MEMBER, email="lee@example.org")
    client.post(reverse("account_reset_password"), {"email": "lee@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lee@example.org"]


def test_repeated_reset_requests_are_rate_limited(client, officer) -> None:
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": "officer@example.org"})
    response = client.post(reverse("account_reset_password"), {"email": "officer@example.org"})
    assert response.status_code == 429 and "Too many attempts" in response.text
    assert 'class="govuk-heading-l"' in response.text and len(mail.outbox) == 5


def test_a_signed_in_person_changes_their_password(client, officer) -> None:
    from cypp.web.audit.models import AuditEvent

    client.force_login(officer)
    assert reverse("account_change_password") in client.get(reverse("plans:home")).text
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200 and "Change your password" in page.text
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": "fresh-pass-2718", "password2": "fresh-pass-2718"},
    )
    assert "There is a problem" in wrong.text and 'href="#oldpassword"' in wrong.text
    common = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "password123", "password2": "password123"},
    )
    assert 'href="#password1"' in common.text and "too common" in common.text
    short = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "k7#q", "password2": "k7#q"},
    )
    assert 'href="#password1"' in short.text
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(verb="account.password_change").exists()

    done = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "fresh-pass-2718", "password2": "fresh-pass-2718"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("account_password_changed")
    assert "Your password has been changed" in client.get(done["Location"]).text
    assert "_auth_user_id" in client.session  # still signed in here
    officer.refresh_from_db()
    assert officer.check_password("fresh-pass-2718")
    event = AuditEvent.objects.get(verb="account.password_change")
    assert event.actor == officer and event.object_id == str(officer.pk)
    assert "fresh-pass" not in str(event.detail)


def test_an_account_without_a_password_is_offered_to_set_one(client) -> None:
    from cypp.web.audit.models import AuditEvent

    lee = accounts.add_user("lee", Role.BOARD_MEMBER, email="lee@example.org")
    client.force_login(lee)
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302 and response["Location"] == reverse("account_set_password")
    page = client.get(reverse("account_set_password"))
    assert "Set a password" in page.text
    client.post(
        reverse("account_set_password"),
        {"password1": "lee-chose-4096", "password2": "lee-chose-4096"},
    )
    lee.refresh_from_db()
    assert lee.check_password("lee-chose-4096")
    assert AuditEvent.objects.filter(verb="account.password_set", actor=lee).exists()


def test_a_reset_password_is_audited(client, officer) -> None:
    from cypp.web.audit.models import AuditEvent

    client.post(reverse("account_reset_password"), {"email": "officer@example.org"})
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    action = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    client.post(action, {"password1": "new-long-pass-987", "password2": "new-long-pass-987"})
    assert AuditEvent.objects.filter(verb="account.password_reset", actor=officer).exists()


def test_change_password_needs_an_account(client) -> None:
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
