import pytest
from django.test import Client

from inspiracle.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_simplified_chinese_is_the_default_and_english_is_one_click_away(agreements, settings):
    """REQ: UX-1"""
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client()
    home = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in home and "注册" in home
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/register/"})
    page = client.get("/accounts/register/").content.decode()
    assert 'lang="en"' in page and "Create your Inspiracle account" in page
    assert "I agree to the User Service Agreement (version 1)" in page
    assert "用户服务协议" in Client().get("/accounts/register/").content.decode()


def test_api_messages_follow_the_language_too(agreements, settings):
    """REQ: UX-1, UX-2"""
    settings.LANGUAGE_CODE = "zh-hans"
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert "登录" in response.json()["error"]["message"]


def test_pages_carry_strict_security_headers(agreements):
    """REQ: PRV-2"""
    response = Client().get("/accounts/register/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_openapi_schema_describes_every_user_action(db):
    """REQ: UX-2"""
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/auth/register",
        "/api/auth/tokens",
        "/api/me/registration",
        "/api/me/profile",
        "/api/me/consents",
        "/api/me/sessions",
        "/api/me/totp",
        "/api/agreements/{slug}/diff",
        "/api/profiles/{username}",
        "/api/staff/agreements/{slug}/versions",
        "/api/staff/audit",
    ]:
        assert path in paths, path


def test_an_unknown_page_is_a_404_page_not_an_error(db):
    """REQ: UX-1"""
    response = Client().get("/no/such/page/")
    assert response.status_code == 404


def test_an_admin_changes_staff_roles_with_a_reason_and_it_is_audited(ana, ada, mo, client_for):
    """REQ: UX-3, AUD-1, MOD-7"""
    response = client_for(ada).post(
        "/staff/users/ana/", {"role": "moderator", "reason": "hired", "role_submit": "1"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.staff_role == "moderator"
    event = AuditEvent.objects.get(action="role.changed")
    assert (event.reason, event.data) == ("hired", {"from": "", "to": "moderator"})
    assert (
        client_for(mo)
        .post("/api/staff/users/ana/role", {"role": "admin", "reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )


def test_the_last_administrator_cannot_be_demoted(ada, client_for):
    """REQ: UX-3"""
    import json

    response = client_for(ada).post(
        "/api/staff/users/ada/role",
        json.dumps({"role": "", "reason": "oops"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "last administrator" in response.json()["error"]["message"]


def test_every_page_names_itself_once_has_an_icon_and_lets_keyboards_skip_the_menu(agreements, settings):
    """The home page's title is not "Inspiracle · Inspiracle"; the icon exists, so no page asks for a missing
    file; the first link jumps over the menu to the content."""
    from django.contrib.staticfiles import finders

    settings.LANGUAGE_CODE = "en"
    home = Client().get("/").content.decode()
    assert "<title>Inspiracle · from inspiration to market</title>" in home
    page = Client().get("/accounts/signin/").content.decode()
    assert page.count("Inspiracle</title>") == 1 and "· Inspiracle</title>" in page
    for html in (home, page):
        assert 'rel="icon" href="/static/favicon.svg"' in html
        assert html.index('class="skip" href="#main"') < html.index("<header")
        assert '<main id="main"' in html
    assert finders.find("favicon.svg")


def test_help_texts_and_errors_are_tied_to_their_fields_for_screen_readers(agreements, settings):
    """Every id a field's aria-describedby names exists on the page, so a screen reader reads the field's help
    and its error with it."""
    import re

    settings.LANGUAGE_CODE = "en"
    page = Client().post("/accounts/register/", {"username": "x"}).content.decode()
    described = [i for ids in re.findall(r'aria-describedby="([^"]+)"', page) for i in ids.split()]
    assert any(i.endswith("_error") for i in described) and any(i.endswith("_helptext") for i in described)
    for element_id in described:
        assert f'id="{element_id}"' in page, element_id


def test_my_reports_is_one_click_from_the_menu_and_the_account_page(ana, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client()
    client.force_login(ana)
    for page in ("/", "/accounts/me/"):
        html = client.get(page).content.decode()
        assert html.count('href="/reports/"') >= 1, page


def test_taken_down_and_unpublished_read_differently_in_chinese():
    """Staff taking a work down and its owner unpublishing it are different things; one filter lists both."""
    from django.utils import translation

    from inspiracle.works.models import Work

    with translation.override("zh-hans"):
        labels = [str(label) for _value, label in Work.Status.choices]
    assert len(labels) == len(set(labels))
