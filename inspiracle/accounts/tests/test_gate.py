import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from inspiracle.agreements.models import Consent, Document
from inspiracle.agreements.services import version_publish
from inspiracle.core.testing import make_user

pytestmark = pytest.mark.django_db


def publish(slug: str, *, reaccept: bool, days_ahead: int = 0):
    return version_publish(
        actor=None,
        document=Document.objects.get(slug=slug),
        text_zh="新版本\n",
        text_en="New version\n",
        effective_date=timezone.localdate() + timedelta(days=days_ahead),
        requires_reacceptance=reaccept,
    )


def test_a_visitor_can_browse_but_is_refused_any_upload_page_with_a_link_to_the_agreements(agreements):
    """REQ: REG-3"""
    client = Client()
    assert client.get("/agreements/").status_code == 200
    response = client.get("/accounts/me/profile/")
    assert response.status_code == 403
    assert "/agreements/" in response.content.decode()
    assert client.post("/accounts/me/profile/", {"display_name": "x"}).status_code == 403


def test_a_new_version_needing_reacceptance_makes_a_user_browse_only_until_they_agree(ana, client_for):
    """REQ: AGR-4, REG-3
    GIVEN Ana accepted version 1 WHEN a version needing re-acceptance comes into force
    THEN uploads are refused (page and API) but she may still correct her registration information (REG-6),
    and once she agrees everything works again."""
    publish("privacy-policy", reaccept=True)
    client = client_for(ana)
    assert client.get("/accounts/me/profile/").status_code == 403
    refused = client.patch("/api/me/profile", json.dumps({"bio": "hi"}), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "consent_required"
    assert refused.json()["error"]["missing"][0]["document"] == "privacy-policy"
    allowed = client.patch(
        "/api/me/registration",
        json.dumps({"mailing_address": "新地址 1 号"}),
        content_type="application/json",
    )
    assert allowed.status_code == 200

    page = client.get("/agreements/accept/")
    assert "privacy-policy@2" in page.content.decode()
    client.post("/agreements/accept/", {"accept": ["privacy-policy@2"]})
    assert Consent.objects.get(user=ana, version__number=2).method == "reacceptance"
    assert client.get("/accounts/me/profile/").status_code == 200


def test_accepting_through_the_api_lifts_the_gate(ana, client_for):
    """REQ: AGR-4, UX-2"""
    publish("service-agreement", reaccept=True)
    client = client_for(ana)
    assert client.get("/api/me").json()["missing_agreements"] == ["service-agreement@2"]
    response = client.post(
        "/api/me/consents", json.dumps({"accept": ["service-agreement@2"]}), content_type="application/json"
    )
    assert response.status_code == 201
    assert client.get("/api/me").json()["may_upload"] is True


def test_a_notice_only_version_is_accepted_by_continued_use(ana, client_for):
    """REQ: AGR-4"""
    publish("upload-compliance", reaccept=False)
    client = client_for(ana)
    response = client.get("/accounts/me/", follow=True)
    assert "By continuing to use" in response.content.decode()
    consent = Consent.objects.get(user=ana, version__document__slug="upload-compliance", version__number=2)
    assert consent.method == "continued_use"
    assert client.get("/accounts/me/profile/").status_code == 200


def test_a_version_comes_into_force_by_itself_on_its_effective_date(ana, client_for):
    """REQ: AGR-3"""
    publish("privacy-policy", reaccept=True, days_ahead=3)
    client = client_for(ana)
    assert client.get("/accounts/me/profile/").status_code == 200
    assert Client().get("/api/agreements").json()["items"][1]["number"] == 1
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert Client().get("/api/agreements").json()["items"][1]["number"] == 2
        assert client.get("/accounts/me/profile/").status_code == 403


def test_accepting_returns_only_to_a_page_of_this_site(ana, client_for):
    publish("service-agreement", reaccept=True)
    client = client_for(ana)
    away = client.post("/agreements/accept/", {"accept": ["service-agreement@2"], "next": "//evil.example/"})
    assert away.status_code == 302 and away["Location"] == "/accounts/me/"


def test_a_token_user_is_gated_like_a_browser_user(agreements):
    """REQ: REG-3, UX-2"""
    from inspiracle.accounts.tokens import token_issue

    sam = make_user("sam")
    _token, raw = token_issue(user=sam, name="script")
    publish("service-agreement", reaccept=True)
    response = Client().patch(
        "/api/me/profile",
        json.dumps({"bio": "x"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "consent_required"


def test_staff_keep_claiming_and_deciding_reports_after_a_version_needing_reacceptance(
    ana, cy, mo, lee, submit, published_work, client_for
):
    """REQ: AGR-4, MOD-1, RPT-7
    GIVEN a version needing re-acceptance is in force and no staff member has accepted it yet
    WHEN a moderator claims a work and a legal officer decides a report, on the pages and through the API
    THEN both succeed, every staff page asks them to accept with a banner, and their own uploads outside the
    staff console are gated like anyone's."""
    from inspiracle.reports.models import Report
    from inspiracle.reports.tests.test_staff import ip_report

    pending, other = submit(title="Pending", seed=1), submit(title="Other", seed=2)
    first, second = (
        ip_report(cy, published_work(title="First", seed=3)),
        ip_report(cy, published_work(seed=4)),
    )
    publish("privacy-policy", reaccept=True)
    moderator, officer = client_for(mo), client_for(lee)

    assert moderator.post(f"/staff/review/{pending.pk}/claim/").status_code == 302
    assert moderator.post(f"/api/staff/review/{other.pk}/claim").status_code == 204
    page = moderator.get(f"/staff/review/{pending.pk}/").content.decode()
    assert "consent-banner" in page and "Your staff work in the console goes on" in page
    item = first.items.get()
    decided = officer.post(
        f"/staff/reports/{first.reference}/",
        {"uphold": "0", "reasons": "The earlier publication is not yours.", f"actions.{item.pk}": "takedown"},
    )
    assert decided.status_code == 302
    via_api = officer.post(
        f"/api/staff/reports/{second.reference}/decision",
        json.dumps({"uphold": False, "reasons": "Not yours."}),
        content_type="application/json",
    )
    assert via_api.status_code == 200
    assert set(Report.objects.values_list("status", flat=True)) == {"rejected"}

    own = moderator.patch("/api/me/profile", json.dumps({"bio": "x"}), content_type="application/json")
    assert own.status_code == 403 and own.json()["error"]["code"] == "consent_required"
    assert "consent-banner" in client_for(ana).get("/gallery/").content.decode()


def test_a_form_refused_by_the_gate_shows_back_what_was_typed_ready_to_send_again(ana, client_for):
    """REQ: AGR-4, REG-3
    GIVEN Ana is typing her profile when a version needing re-acceptance comes into force
    WHEN she sends the form
    THEN the refusal shows what she typed in a form that sends it again (never her CSRF token), and after she
    accepts, sending it again saves it."""
    publish("service-agreement", reaccept=True)
    client = client_for(ana)
    refused = client.post(
        "/accounts/me/profile/", {"display_name": "Ana Lin", "bio": "Ink and paper, 二十年。", "location": ""}
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    assert (
        'name="display_name"' in html and ">Ana Lin</textarea>" in html and "Ink and paper, 二十年。" in html
    )
    assert 'action="/accounts/me/profile/"' in html and "Send it again" in html
    assert html.count('name="csrfmiddlewaretoken"') == html.count("<form")  # only the page's own tokens

    accepted = client.post(
        "/agreements/accept/", {"accept": ["service-agreement@2"], "next": "/accounts/me/profile/"}
    )
    assert accepted.status_code == 302 and accepted["Location"] == "/accounts/me/profile/"
    again = client.post(
        "/accounts/me/profile/", {"display_name": "Ana Lin", "bio": "Ink and paper, 二十年。"}
    )
    assert again.status_code == 302
    ana.profile.refresh_from_db()
    assert ana.profile.bio == "Ink and paper, 二十年。"
