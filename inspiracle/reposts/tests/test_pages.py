"""Repost permissions in the web pages (WRK-12): the work page's panel, asking (members; visitors after the
e-mail code), the owner's list and answers, the permission's public page, and the legal officer's report page."""

import pytest
from django.core import mail
from django.test import Client

from inspiracle.agreements import gate
from inspiracle.reposts.models import RepostPermission
from inspiracle.reposts.services import repost_approve, repost_revoke
from inspiracle.reposts.tests.conftest import code_from_outbox

pytestmark = pytest.mark.django_db
VISITOR_PAGES = {"reposts:ask", "reposts:email"}


def test_the_work_page_offers_to_ask_and_lists_active_permissions(ana, cy, repostable, ask, client_for):
    """REQ: WRK-12"""
    work = repostable()
    page = client_for(cy).get(f"/works/{work.pk}/").content.decode()
    assert f'href="/reposts/ask/{work.pk}/"' in page and "No site has a repost permission" in page
    granted = repost_approve(permission=ask(cy, work), actor=ana)
    page = Client().get(f"/works/{work.pk}/").content.decode()
    assert f'href="/reposts/{granted.reference}/">blog.example.com</a>' in page and "Ask to repost" in page
    owner_page = client_for(ana).get(f"/works/{work.pk}/").content.decode()
    assert "Ask to repost" not in owner_page and "Repost requests about my works" in owner_page


def test_a_work_that_forbids_reposting_offers_no_request(cy, published_work, client_for):
    work = published_work()
    assert "Ask to repost" not in client_for(cy).get(f"/works/{work.pk}/").content.decode()
    refused = client_for(cy).get(f"/reposts/ask/{work.pk}/")
    assert "does not allow reposting" in refused.content.decode()


def test_a_member_asks_and_the_owner_approves_from_the_list(ana, cy, repostable, client_for):
    """REQ: WRK-12"""
    work = repostable()
    form = {"site_url": "https://blog.example.com/", "purpose": "A review", "months": "6"}
    sent = client_for(cy).post(f"/reposts/ask/{work.pk}/", form)
    assert sent.status_code == 302 and sent["Location"] == "/reposts/mine/?box=sent"
    permission = RepostPermission.objects.get()
    twice = client_for(cy).post(f"/reposts/ask/{work.pk}/", form)
    assert twice.status_code == 409 and "already asked" in twice.content.decode()
    owner = client_for(ana)
    listing = owner.get("/reposts/mine/").content.decode()
    assert permission.reference in listing and "A review" in listing and "Approve" in listing
    done = owner.post(f"/reposts/{permission.reference}/approve/", {"message": "Go ahead"})
    assert done.status_code == 302
    assert RepostPermission.objects.get().status == "approved"
    stranger = client_for(cy).post(f"/reposts/{permission.reference}/revoke/")
    assert stranger.status_code == 404


def test_bad_input_on_the_page_keeps_what_was_typed_and_says_what_to_fix(cy, repostable, client_for):
    work = repostable()
    form = {"site_url": "javascript:alert(1)", "purpose": "My blog", "months": "6"}
    page = client_for(cy).post(f"/reposts/ask/{work.pk}/", form)
    assert page.status_code == 400
    assert "My blog" in page.content.decode() and "http:// or https://" in page.content.decode()
    too_long = client_for(cy).post(
        f"/reposts/ask/{work.pk}/", {**form, "site_url": "https://a.example.com/", "months": "30"}
    )
    assert too_long.status_code == 400 and "less than or equal to 24" in too_long.content.decode()
    assert not RepostPermission.objects.exists()


def test_a_visitor_proves_an_address_and_asks(ana, repostable, django_capture_on_commit_callbacks):
    """REQ: WRK-12. The consent gate lets visitors post these two pages (as it does for reports)."""
    assert VISITOR_PAGES <= gate.CONSENT_EXEMPT
    work = repostable()
    visitor = Client()
    start = visitor.get(f"/reposts/ask/{work.pk}/")
    assert start.status_code == 302 and start["Location"] == f"/reposts/email/?next=/reposts/ask/{work.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.post(start["Location"], {"email": "rita@example.com"}).status_code == 200
    proved = visitor.post(start["Location"], {"email": "rita@example.com", "code": code_from_outbox()})
    assert proved.status_code == 302 and proved["Location"] == f"/reposts/ask/{work.pk}/"
    form = {
        "name": "Rita's blog",
        "site_url": "https://rita.example.com/",
        "purpose": "A review",
        "months": "2",
    }
    sent = visitor.post(f"/reposts/ask/{work.pk}/", form)
    assert sent.status_code == 302 and sent["Location"] == f"/works/{work.pk}/"
    permission = RepostPermission.objects.get()
    assert permission.requester_email == "rita@example.com" and permission.requester_name == "Rita's blog"
    assert len(mail.outbox) == 1


def test_the_permission_page_shows_the_work_the_site_the_term_and_the_attribution(ana, cy, repostable, ask):
    """REQ: WRK-12, WRK-5"""
    work = repostable()
    permission = repost_approve(permission=ask(cy, work), actor=ana)
    page = Client().get(f"/reposts/{permission.reference}/").content.decode()
    assert "Active" in page and "https://blog.example.com/posts/1" in page
    assert f"/works/{work.pk}/files/" in page  # the thumbnail
    snippet = page.split('id="attribution">')[1].split("</pre>")[0]
    assert snippet.startswith("ana") and snippet.endswith("Source: Inspiracle")
    assert f"http://testserver/works/{work.pk}/" in snippet
    html = page.split('id="attribution-html">')[1].split("</pre>")[0]
    assert html == (
        f"&lt;p&gt;ana, “&lt;a href=&quot;http://testserver/works/{work.pk}/&quot;&gt;{work.title}&lt;/a&gt;”. "
        "Source: Inspiracle&lt;/p&gt;"
    )
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/reposts/{permission.reference}/").content.decode()
    assert "。来源：Inspiracle&lt;/p&gt;" in chinese  # in the reader's language, as the plain attribution
    assert "A review" not in page  # the purpose is the parties'
    repost_revoke(permission=permission, actor=ana)
    assert "Revoked" in Client().get(f"/reposts/{permission.reference}/").content.decode()


def test_the_staff_report_page_shows_permissions_for_a_site_the_report_names(
    ana, cy, lee, repostable, ask, client_for
):
    """REQ: WRK-12"""
    from inspiracle.reports.tests.test_staff import ip_report

    work = repostable()
    granted = repost_approve(permission=ask(cy, work), actor=ana)
    report = ip_report(cy, work)
    type(report).objects.filter(pk=report.pk).update(
        description="Copied on https://blog.example.com/posts/1 too."
    )
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert 'id="repost-permissions"' in page and granted.reference in page


def test_the_lists_cost_the_same_queries_for_one_request_or_five(ana, cy, repostable, ask, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspiracle.works.tests.test_upload import token_client

    work = repostable()
    owner, api = client_for(ana), token_client(ana)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert owner.get("/reposts/mine/").status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert api.get("/api/reposts").status_code == 200
        return len(page), len(listed)

    ask(cy, work, site_url="https://s0.example.com/")
    counts()  # the first use of a session or token records when it was last seen
    one = counts()
    for n in range(1, 5):
        ask(cy, work, site_url=f"https://s{n}.example.com/")
    assert counts() == one


@pytest.mark.parametrize("status", ["unpublished", "taken_down", "deleted"])
def test_a_permission_whose_work_is_no_longer_public_shows_others_no_work(
    ana, ben, cy, repostable, ask, client_for, status
):
    """REQ: WRK-12, PRV-3 (review finding 5): the page stays, but names no title, creator, picture or
    attribution to anyone but the two parties."""
    from django.utils.timezone import now

    from inspiracle.works.models import Work

    work = repostable(title="Secret sketch")
    permission = repost_approve(permission=ask(cy, work, name="Cy's blog"), actor=ana)
    Work.objects.filter(pk=work.pk).update(status=status, deleted_at=now() if status == "deleted" else None)
    for client in (Client(), client_for(ben)):
        page = client.get(f"/reposts/{permission.reference}/").content.decode()
        assert permission.reference in page and "https://blog.example.com/posts/1" in page
        assert "no longer public" in page  # the state: withdrawn
        for leak in ("Secret sketch", "@ana", f"/works/{work.pk}/", 'id="attribution"', "Cy&#x27;s blog"):
            assert leak not in page, leak
    # The parties still see what they agreed on.
    for party in (ana, cy):
        page = client_for(party).get(f"/reposts/{permission.reference}/").content.decode()
        assert "Secret sketch" in page and "@ana" in page
