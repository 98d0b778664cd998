"""A user's own standing and appeals, in the pages and the API (MOD-5, MOD-6, UX-4): what is in force and what
it stops, one appeal per measure with its written exchange, and the way to the appeal for a user who cannot
sign in. Nobody reaches another user's measures or appeals; staff are never named."""

import json
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.agreements.models import Document
from inspiracle.agreements.services import version_publish
from inspiracle.core.testing import PASSWORD
from inspiracle.moderation.models import Appeal
from inspiracle.moderation.services import (
    appeal_decide,
    appeal_open,
    appeal_reply,
    appeal_take,
    review_claim,
    review_decide,
    sanction_apply,
    strike_record,
)
from inspiracle.notifications.models import Notification


@pytest.fixture
def reject(submit, mo):
    """``reject(seed=..., strike=...)``: one of Ana's works, rejected by Mo for infringing others' rights."""

    def reject(seed=1, strike=False):
        work = submit(title=f"Work {seed}", seed=seed)
        review_claim(actor=mo, work=work)
        return review_decide(
            actor=mo, work=work, kind="reject", reason_code="third_party_rights", strike=strike
        )

    return reject


def post_json(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def appeal_page(client, kind, measure_id, statement="The picture is my own; the sketches are attached."):
    return client.post(f"/accounts/me/appeals/new/{kind}/{measure_id}/", {"statement": statement})


def test_standing_shows_a_publishing_restriction_with_what_it_stops_and_when_it_ends(ana, mo, client_for):
    """REQ: MOD-5
    GIVEN a moderator restricts Ana's publishing for a week
    THEN her standing page and the API show the measure, its reason, what it stops and when it ends."""
    ends_at = timezone.now() + timedelta(days=7)
    sanction = sanction_apply(
        actor=mo, user=ana, kind="publishing", reason_code="repeat_infringement", ends_at=ends_at
    )
    client = client_for(ana)

    page = client.get("/accounts/me/standing/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/accounts/me/standing/"' in html  # the "Standing" link of the user menu
    section = html[html.index("Measures in force") : html.index("Strikes")]
    assert "Publishing restriction" in section and "Repeated infringement" in section
    assert "You cannot upload works, change their content or publish them." in section
    assert "until " in section and str(ends_at.year) in section
    assert f'href="/accounts/me/appeals/new/sanction/{sanction.pk}/"' in section

    data = client.get("/api/me/standing").json()
    [measure] = data["in_force"]
    assert measure["type"] == "sanction" and measure["kind"] == "publishing"
    assert measure["effects"] == ["You cannot upload works, change their content or publish them."]
    assert abs(datetime.fromisoformat(measure["ends_at"]) - ends_at) < timedelta(milliseconds=1)
    assert measure["until"].startswith("until ")
    assert measure["reason"] == "Repeated infringement" and measure["appealable"] is True
    assert "created_by" not in measure  # who applied it is not said


def test_a_rejection_is_appealed_once_and_a_second_appeal_is_refused(reject, ana, client_for):
    """REQ: MOD-6
    GIVEN one of Ana's works was rejected
    WHEN she appeals it from her standing page
    THEN the appeal is opened and linked from the decision; a second appeal is refused, on the page with a
    clear message and in the API with 409."""
    decision = reject()
    client = client_for(ana)
    standing = client.get("/accounts/me/standing/").content.decode()
    assert f'href="/accounts/me/appeals/new/decision/{decision.pk}/"' in standing
    form = client.get(f"/accounts/me/appeals/new/decision/{decision.pk}/")
    assert form.status_code == 200 and "Infringes third-party rights" in form.content.decode()

    sent = appeal_page(client, "decision", decision.pk)
    appeal = Appeal.objects.get(decision=decision)
    assert sent.status_code == 302 and sent.url == f"/accounts/me/appeals/{appeal.pk}/"
    assert appeal.user == ana and appeal.status == "open"
    standing = client.get("/accounts/me/standing/").content.decode()
    assert f'href="/accounts/me/appeals/new/decision/{decision.pk}/"' not in standing
    assert f'href="/accounts/me/appeals/{appeal.pk}/"' in standing

    again = appeal_page(client, "decision", decision.pk, "Once more.")
    assert again.status_code == 400
    assert (
        "You have already appealed this measure; each measure can be appealed once." in again.content.decode()
    )
    via_api = post_json(
        client, "/api/appeals", {"kind": "decision", "id": decision.pk, "statement": "Again."}
    )
    assert via_api.status_code == 409 and via_api.json()["error"]["code"] == "already_appealed"
    assert Appeal.objects.count() == 1
    [listed] = client.get("/api/me/standing").json()["decisions"]
    assert listed["appealable"] is False and listed["appeal"] == appeal.pk


def test_an_appeal_through_the_api_returns_it_with_its_measure(reject, ana, client_for):
    """REQ: MOD-6"""
    decision = reject()
    client = client_for(ana)
    assert client.get("/api/me/standing").json()["decisions"][0]["appealable"] is True
    created = post_json(client, "/api/appeals", {"kind": "decision", "id": decision.pk, "statement": "Mine."})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "open" and body["statement"] == "Mine." and body["messages"] == []
    assert body["measure"]["type"] == "decision" and body["measure"]["work"]["id"] == decision.work_id
    assert [a["id"] for a in client.get("/api/appeals").json()["items"]] == [body["id"]]


def test_the_written_exchange_appears_in_order_and_staff_are_not_named(ana, mo, lee, client_for):
    """REQ: MOD-6, UX-4
    GIVEN Ana appealed a strike Mo gave her, and Lee (not Mo) handles the appeal
    WHEN they write to each other and Lee decides
    THEN Ana reads the exchange in order, staff shown as "Staff", is notified, and reads the outcome."""
    strike = strike_record(actor=mo, user=ana, reason_code="abuse", note="Spam in messages.")
    client = client_for(ana)
    assert appeal_page(client, "strike", strike.pk, "I sent one message only.").status_code == 302
    appeal = Appeal.objects.get(strike=strike)
    appeal_take(actor=lee, appeal=appeal)
    appeal_reply(author=lee, appeal=appeal, body="Which message do you mean?")
    assert client.post(f"/accounts/me/appeals/{appeal.pk}/", {"body": "The one of 3 May."}).status_code == 302
    appeal_reply(author=lee, appeal=appeal, body="Thank you, we checked it.")

    html = client.get(f"/accounts/me/appeals/{appeal.pk}/").content.decode()
    order = ["I sent one message only.", "Which message do you mean?", "The one of 3 May.", "Thank you, we"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert html.count("<strong>Platform staff</strong>") == 2
    assert not re.search(r"\blee\b", html)
    notice = Notification.objects.filter(user=ana, template="appeal_message").first()
    assert notice is not None and notice.link == f"/accounts/me/appeals/{appeal.pk}/"

    detail = client.get(f"/api/appeals/{appeal.pk}").json()
    assert [(m["from_staff"], m["body"][:5]) for m in detail["messages"]] == [
        (True, "Which"),
        (False, "The o"),
        (True, "Thank"),
    ]
    assert "lee" not in json.dumps(detail)
    sent = post_json(client, f"/api/appeals/{appeal.pk}/messages", {"body": "Anything else?"})
    assert sent.status_code == 201 and sent.json()["from_staff"] is False

    appeal_decide(actor=lee, appeal=appeal, uphold=True, message="The strike was a mistake.")
    html = client.get(f"/accounts/me/appeals/{appeal.pk}/").content.decode()
    assert "Upheld: the measure is undone" in html and "The strike was a mistake." in html
    assert 'name="body"' not in html
    closed = post_json(client, f"/api/appeals/{appeal.pk}/messages", {"body": "Thanks!"})
    assert closed.status_code == 409


def test_another_users_measures_and_appeals_are_not_found(reject, ana, cy, mo, client_for):
    """REQ: MOD-6, PRV-3"""
    decision = reject()
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    sanction = sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    appeal = appeal_open(user=ana, target=decision, statement="Mine.")
    client = client_for(cy)
    for kind, measure_id in [("decision", decision.pk), ("strike", strike.pk), ("sanction", sanction.pk)]:
        assert client.get(f"/accounts/me/appeals/new/{kind}/{measure_id}/").status_code == 404
        assert appeal_page(client, kind, measure_id).status_code == 404
        response = post_json(client, "/api/appeals", {"kind": kind, "id": measure_id, "statement": "x"})
        assert response.status_code == 404
    assert client.get(f"/accounts/me/appeals/{appeal.pk}/").status_code == 404
    assert client.post(f"/accounts/me/appeals/{appeal.pk}/", {"body": "hello"}).status_code == 404
    assert client.get(f"/api/appeals/{appeal.pk}").status_code == 404
    assert post_json(client, f"/api/appeals/{appeal.pk}/messages", {"body": "hello"}).status_code == 404
    assert client.get("/api/appeals").json()["items"] == []
    assert client.get("/accounts/me/appeals/new/work/1/").status_code == 404
    assert not appeal.messages.exists() and Appeal.objects.count() == 1
    assert Client().get("/accounts/me/standing/").status_code == 302  # to the sign-in page
    assert Client().get("/api/me/standing").status_code == 401


def test_a_suspended_user_is_led_from_the_sign_in_page_to_the_appeal(ana, mo):
    """REQ: MOD-5, MOD-6
    GIVEN Ana is suspended
    WHEN she signs in with her password
    THEN she is not signed in but brought to the measure and its appeal form, where she appeals and later
    reads the exchange; with a wrong password she gets no further than the sign-in page."""
    sanction = sanction_apply(
        actor=mo, user=ana, kind="suspension", reason_code="abuse", ends_at=timezone.now() + timedelta(days=3)
    )
    wrong = Client().post("/accounts/signin/", {"username": "ana", "password": "not her password"})
    assert wrong.status_code != 302 and "/accounts/appeal/" not in wrong.content.decode()

    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/signin/")
    signin = client.post(
        "/accounts/signin/",
        {"username": "ana", "password": PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert signin.status_code == 302 and signin.url.startswith("/accounts/appeal/")
    page = client.get(signin.url)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Suspension" in html and "Abuse of the platform" in html
    assert "You cannot sign in, and your API tokens do not work." in html and 'name="statement"' in html
    assert client.post(signin.url, {"statement": "Not me."}).status_code == 403  # CSRF-protected

    csrf = client.cookies["csrftoken"].value
    sent = client.post(signin.url, {"statement": "It was not me.", "csrfmiddlewaretoken": csrf})
    assert sent.status_code == 302 and sent.url == signin.url
    appeal = Appeal.objects.get(sanction=sanction)
    assert appeal.user == ana and appeal.statement == "It was not me."
    html = client.get(signin.url).content.decode()
    assert "It was not me." in html and 'name="body"' in html and 'name="statement"' not in html
    client.post(signin.url, {"body": "Any news?", "csrfmiddlewaretoken": csrf})
    assert appeal.messages.get().body == "Any news?"
    assert client.get("/accounts/me/standing/").status_code == 302  # the pass signs nobody in


def test_an_expired_or_forged_pass_is_not_found_and_says_to_sign_in_again(ana, mo, client_for):
    """REQ: MOD-6"""
    sanction_apply(actor=mo, user=ana, kind="suspension", reason_code="abuse")
    url = Client().post("/accounts/signin/", {"username": "ana", "password": PASSWORD}).url
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        expired = Client().get(url)
    assert expired.status_code == 404
    assert "This link has expired. Sign in again to reach the appeal form." in expired.content.decode()
    assert Client().get("/accounts/appeal/forged-pass/").status_code == 404
    refused = Client().post(url[:-3] + "xx/", {"statement": "Let me in."})
    assert refused.status_code in (403, 404) and not Appeal.objects.exists()


def test_a_statement_over_4000_characters_is_refused_with_the_field_error(reject, ana, client_for):
    """REQ: MOD-6"""
    decision = reject()
    client = client_for(ana)
    page = appeal_page(client, "decision", decision.pk, "x" * 4001)
    assert page.status_code == 400 and page.context["form"].errors["statement"]
    response = post_json(
        client, "/api/appeals", {"kind": "decision", "id": decision.pk, "statement": "x" * 4001}
    )
    assert response.status_code == 400 and response.json()["error"]["fields"]["statement"]
    empty = post_json(client, "/api/appeals", {"kind": "decision", "id": decision.pk, "statement": "  "})
    assert empty.status_code == 400 and empty.json()["error"]["fields"]["statement"]
    assert not Appeal.objects.exists()
    assert appeal_page(client, "decision", decision.pk, "x" * 4000).status_code == 302


def test_appeals_stay_open_to_a_user_who_has_not_accepted_new_agreements(reject, ana, mo, client_for):
    """REQ: MOD-6, REG-3: a user can always contest a measure, even while the consent gate refuses uploads."""
    decision = reject()
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    version_publish(
        actor=None,
        document=Document.objects.get(slug="privacy-policy"),
        text_zh="新版本\n",
        text_en="New version\n",
        effective_date=timezone.localdate(),
        requires_reacceptance=True,
    )
    client = client_for(ana)
    assert appeal_page(client, "decision", decision.pk).status_code == 302
    appeal = Appeal.objects.get(decision=decision)
    assert client.post(f"/accounts/me/appeals/{appeal.pk}/", {"body": "More."}).status_code == 302
    via_api = post_json(client, "/api/appeals", {"kind": "strike", "id": strike.pk, "statement": "Mine."})
    assert via_api.status_code == 201
    assert post_json(client, f"/api/appeals/{appeal.pk}/messages", {"body": "Still."}).status_code == 201


@pytest.fixture
def record(reject, ana, mo):
    """``record(n)``: ``n`` more rows of each kind on Ana's record: a rejected work with its strike, a
    warning, and an appeal of the strike."""
    seeds = iter(range(1, 100))

    def record(n):
        for _i in range(n):
            decision = reject(seed=next(seeds), strike=True)
            sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
            appeal_open(user=ana, target=decision.strikes.get(), statement="Not mine.")

    return record


def test_the_standing_page_and_api_do_not_grow_a_query_per_row(
    record, ana, client_for, django_assert_num_queries
):
    """REQ: MOD-5, MOD-6"""
    client = client_for(ana)
    record(1)
    client.get("/accounts/me/standing/")  # the first request of a session records things once
    counts = {}
    for path in ("/accounts/me/standing/", "/api/me/standing", "/api/appeals"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[path] = len(queries)
    record(4)
    for path, count in counts.items():
        with django_assert_num_queries(count):
            response = client.get(path)
        assert response.status_code == 200
    data = response.json()
    assert len(data["items"]) == data["count"] == 5
    standing = client.get("/api/me/standing").json()
    assert len(standing["strikes"]) == len(standing["decisions"]) == 5 and standing["strikes_counting"] == 5
    assert all(s["appeal"] and not s["appealable"] for s in standing["strikes"])
    assert all(d["appealable"] for d in standing["decisions"])


def test_a_suspended_user_reads_and_appeals_the_measure_through_the_api_with_the_pass_a_token_request_gives(
    ana, mo
):
    """REQ: MOD-5, MOD-6, UX-2
    GIVEN Ana is suspended WHEN she asks the API for a token with her password THEN the refusal carries an
    appeal pass, with which (a header, never the address) she reads the measure, appeals once and writes."""
    sanction_apply(actor=mo, user=ana, kind="suspension", reason_code="abuse")
    asked = Client().post(
        "/api/auth/tokens",
        json.dumps({"username": "ana", "password": PASSWORD, "name": "script"}),
        content_type="application/json",
    )
    error = asked.json()["error"]
    assert asked.status_code == 403 and error["code"] == "sanctioned" and error["appeal_pass"]
    wrong = Client().post(
        "/api/auth/tokens",
        json.dumps({"username": "ana", "password": "not hers", "name": "script"}),
        content_type="application/json",
    )
    assert "appeal_pass" not in wrong.json()["error"]
    api = Client(HTTP_X_APPEAL_PASS=error["appeal_pass"])
    blocked = api.get("/api/appeal-pass").json()
    assert blocked["measure"]["kind"] == "suspension" and blocked["appeal"] is None
    early = api.post("/api/appeal-pass/messages", {"body": "Hello?"}, content_type="application/json")
    assert early.status_code == 409
    opened = api.post("/api/appeal-pass/appeal", {"statement": "Not me."}, content_type="application/json")
    assert opened.status_code == 201 and opened.json()["statement"] == "Not me."
    written = api.post("/api/appeal-pass/messages", {"body": "Any news?"}, content_type="application/json")
    assert written.status_code == 201
    assert api.get("/api/appeal-pass").json()["appeal"]["messages"][0]["body"] == "Any news?"
    assert Client(HTTP_X_APPEAL_PASS="forged").get("/api/appeal-pass").status_code == 404
    assert api.get("/api/me").status_code == 401  # the pass signs nobody in
