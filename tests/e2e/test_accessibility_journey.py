"""Every page of the site in Simplified Chinese and in English, at desktop and at phone width (issue 15).

Each role opens every page it can reach, with the objects those pages show seeded through the services: a
published and an awaiting work, a product and an order, a licence request and a deal, reports, a counter-notice,
a rights holder's profile, an appeal, a conversation and its report, an authority's request... The audit in
conftest.py runs axe-core on each page these visits open and checks, at 390 px, that no page scrolls sideways.

The pages are data (url name, path), so that tests/e2e/test_page_coverage.py can check without a browser that
every url name that renders a page is visited here, or says in ``NOT_PAGES`` why it is not a page.
"""

import datetime as dt

import pyotp
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from inspiracle.accounts import security
from inspiracle.accounts.services import account_verify
from inspiracle.agreements.models import Document
from inspiracle.agreements.selectors import local_today
from inspiracle.agreements.services import consent_reaccept, version_publish
from inspiracle.core.testing import PASSWORD, PDF, image_bytes, make_user
from inspiracle.disclosure.services.requests import RequestInput, request_record
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.messaging.services.abuse import thread_report
from inspiracle.messaging.services.threads import direct_thread_open
from inspiracle.moderation.services import appeal_open, review_approve, sanction_apply, strike_record
from inspiracle.pipeline.documents import Upload
from inspiracle.proofs.services import tree_head_sign
from inspiracle.reports.services import counter_notice_file, report_decide
from inspiracle.reports.services.profiles import rights_profile_create
from inspiracle.reports.tests.test_staff import ip_report
from inspiracle.reposts.services import AskInput, repost_approve, repost_ask
from inspiracle.shop.mockups import Placement
from inspiracle.shop.models import ProductType, Variant
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.orders import Address, order_pay, order_place
from inspiracle.shop.services.products import ProductDraft, product_approve, product_create
from inspiracle.standing import blocked_pass_for
from inspiracle.works.services import work_create
from tests.e2e.conftest import PageAudit
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = pytest.mark.e2e

# (url name, path): the path's {placeholders} are the objects seeded by ``_seed``.
Pages = list[tuple[str, str]]

VISITOR_PAGES: Pages = [
    ("home", "/"),
    ("gallery", "/gallery/"),
    ("works:detail", "/works/{published}/"),
    ("profile", "/u/ana/"),
    ("portfolio", "/u/ana/works/"),
    ("shop:list", "/shop/"),
    ("shop:product", "/shop/p/{product}/"),
    ("shop:cart", "/shop/cart/"),
    ("agreements:index", "/agreements/"),
    ("agreements:document", "/agreements/privacy-policy/"),
    ("agreements:version", "/agreements/privacy-policy/v1/"),
    ("agreements:diff", "/agreements/privacy-policy/diff/?from=1&to=2"),
    ("reports:new", "/reports/new/"),
    ("reports:email", "/reports/email/"),
    ("reports:transparency", "/reports/transparency/"),
    ("reposts:email", "/reposts/email/"),
    ("reposts:detail", "/reposts/{permission}/"),
    ("proofs:keys", "/proofs/keys/"),
    ("privacy:rights", "/privacy/"),
    ("accounts:signin", "/accounts/signin/"),
    ("accounts:register", "/accounts/register/"),
    ("accounts:register-declined", "/accounts/register/declined/"),
    ("accounts:password-reset", "/accounts/password-reset/"),
    ("accounts:password-reset-confirm", "/accounts/password-reset/{reset_uid}/{reset_token}/"),
    ("accounts:email-confirm", "/accounts/email/confirm/the-token-from-the-mail/"),
    ("standing:blocked", "/accounts/appeal/{blocked_pass}/"),
]
CREATOR_PAGES: Pages = [
    ("works:mine", "/works/mine/"),
    ("works:new", "/works/new/"),
    ("works:detail", "/works/{awaiting}/"),
    ("works:edit", "/works/{awaiting}/edit/"),
    ("proofs:certificates", "/proofs/works/{published}/"),
    ("accounts:me", "/accounts/me/"),
    ("accounts:profile-edit", "/accounts/me/profile/"),
    ("accounts:registration", "/accounts/me/registration/"),
    ("accounts:password-change", "/accounts/me/password/"),
    ("accounts:sessions", "/accounts/me/sessions/"),
    ("accounts:totp", "/accounts/me/two-factor/"),
    ("accounts:tokens", "/accounts/me/tokens/"),
    ("accounts:consents", "/accounts/me/consents/"),
    ("standing:standing", "/accounts/me/standing/"),
    ("standing:appeal-new", "/accounts/me/appeals/new/sanction/{warning}/"),
    ("standing:appeal", "/accounts/me/appeals/{appeal}/"),
    ("notifications:inbox", "/inbox/"),
    ("notifications:settings", "/inbox/settings/"),
    ("messaging:threads", "/messages/"),
    ("messaging:thread", "/messages/{thread}/"),
    ("messaging:report", "/messages/{thread}/report/"),
    ("messaging:settings", "/messages/settings/"),
    ("licensing:hub", "/licensing/"),
    ("licensing:request", "/licensing/requests/{licence_request}/"),
    ("licensing:counter", "/licensing/requests/{licence_request}/counter/"),
    ("licensing_deals:list", "/licensing/deals/"),
    ("licensing_deals:detail", "/licensing/deals/{deal}/"),
    ("licensing_deals:print", "/licensing/deals/{deal}/print/"),
    ("licensing-contacts", "/licensing/contacts/"),
    ("reports:mine", "/reports/"),
    ("reports:profiles", "/reports/profiles/"),
    ("reports:counter", "/reports/notices/{taken_down_item}/"),
    ("reposts:mine", "/reposts/mine/"),
    ("exports:list", "/privacy/export/"),
    ("privacy:cancel", "/privacy/cancel/"),
    ("shop_studio:products", "/shop/studio/"),
    ("shop_studio:new", "/shop/studio/new/?work={published}"),
    ("shop_studio:product", "/shop/studio/products/{product}/"),
    ("shop_studio:sales", "/shop/studio/sales/"),
    ("shop_studio:revenue", "/shop/studio/revenue/"),
]
MEMBER_PAGES: Pages = [
    ("reports:new", "/reports/new/"),
    ("reports:new", "/reports/new/?category=ip"),
    ("reports:detail", "/reports/{report}/"),
    ("reposts:ask", "/reposts/ask/{published}/"),
    ("messaging:direct-new", "/messages/new/ben_brand/"),
    ("shop:cart", "/shop/cart/"),
    ("shop:checkout", "/shop/checkout/"),
    ("shop:orders", "/shop/orders/"),
    ("shop:order", "/shop/orders/{order}/"),
]
BRAND_PAGES: Pages = [
    ("licensing:new", "/licensing/new/?works={published}"),
    ("licensing:request", "/licensing/requests/{licence_request}/"),
]
# A member who has not yet accepted the privacy policy's new version, which asks for acceptance again.
REACCEPTING_PAGES: Pages = [("agreements:accept", "/agreements/accept/")]
MODERATOR_PAGES: Pages = [
    ("staff:dashboard", "/staff/"),
    ("moderation:queue", "/staff/review/"),
    ("moderation:item", "/staff/review/{awaiting}/"),
    ("staff:works", "/staff/works/"),
    ("staff:users", "/staff/users/"),
    ("staff:user", "/staff/users/ana/"),
    ("moderation_staff:account", "/staff/accounts/ana/"),
    ("moderation_staff:appeals", "/staff/appeals/"),
    ("messaging_staff:reports", "/staff/messages/reports/"),
    ("messaging_staff:report", "/staff/messages/reports/{thread_report}/"),
    ("shop_staff:review", "/staff/shop/review/"),
    ("shop_staff:review_product", "/staff/shop/review/{product}/"),
]
LEGAL_OFFICER_PAGES: Pages = [
    ("reports_staff:queue", "/staff/reports/"),
    ("reports_staff:report", "/staff/reports/{report}/"),
    ("reports_staff:reporter", "/staff/reports/reporters/{reporter_key}/"),
    ("reports_staff:counter-notices", "/staff/reports/counter-notices/"),
    ("reports_staff:counter-notice", "/staff/reports/counter-notices/{counter_notice}/"),
    ("reports_staff:profiles", "/staff/reports/profiles/"),
    ("reports_staff:profile", "/staff/reports/profiles/{rights_profile}/"),
    ("moderation_staff:appeal", "/staff/appeals/{appeal}/"),
    ("disclosure:register", "/staff/disclosure/"),
    ("disclosure:record", "/staff/disclosure/new/"),
    ("disclosure:detail", "/staff/disclosure/{disclosure}/"),
    ("licensing_staff:deals", "/staff/licensing/"),
    ("licensing_staff:deal", "/staff/licensing/deals/{deal}/"),
    ("licensing_staff:register", "/staff/licensing/register/"),
    ("licensing_staff:disclosures", "/staff/licensing/disclosures/"),
    ("staff:audit", "/staff/audit/"),
    ("staff:verification", "/staff/verification/"),
    ("staff:verification-review", "/staff/verification/orchid/"),
    ("staff:user-registration", "/staff/users/ana/registration/"),
]
ADMIN_PAGES: Pages = [
    ("staff:agreements", "/staff/agreements/"),
    ("staff:screening", "/staff/screening/"),
    ("staff:names", "/staff/names/"),
    ("shop_staff:orders", "/staff/shop/orders/"),
    ("shop_staff:order", "/staff/shop/orders/{order}/"),
    ("shop_staff:payouts", "/staff/shop/payouts/"),
    ("shop_staff:catalogue", "/staff/shop/catalogue/"),
    ("shop_staff:catalogue_type", "/staff/shop/catalogue/tshirt/"),
]
# The second step of signing in: Tess has two-factor sign-in on; her password leads to the code page.
TWO_FACTOR_PAGES: Pages = [("accounts:signin-totp", "/accounts/signin/code/")]

# Who opens which pages: "" is a visitor, signed in as nobody.
ROLES: dict[str, Pages] = {
    "": VISITOR_PAGES,
    "ana": CREATOR_PAGES,
    "cy": MEMBER_PAGES,
    "ben_brand": BRAND_PAGES,
    "rue": REACCEPTING_PAGES,
    "mo": MODERATOR_PAGES,
    "lee": LEGAL_OFFICER_PAGES,
    "root": ADMIN_PAGES,
}

# Forms sent empty, per role: the page that comes back with the errors is audited too (an error must be read
# out and must not push the page sideways). (url name, address, the form).
FORMS_SENT_EMPTY: dict[str, list[tuple[str, str, str]]] = {
    "": [
        ("accounts:signin", "/accounts/signin/", "main form.form"),
        ("accounts:register", "/accounts/register/", "main form.form"),
        ("accounts:password-reset", "/accounts/password-reset/", "main form.form"),
    ],
    # (An empty report is not refused: it is kept as incomplete, its page listing what is missing.)
    "cy": [("accounts:password-change", "/accounts/me/password/", "main form.form")],
    "mo": [("staff:user", "/staff/users/ana/", "form[action*='/notes/']")],
    "root": [("staff:screening", "/staff/screening/", "main form.form")],
}

_POST_ONLY = "an action: answers a POST (a form's button) with a redirect, no page of its own"
_FILE = "a file, not a page"
# url name -> why the journey does not open it as a page.
NOT_PAGES: dict[str, str] = {
    "health": "the load balancer's probe: JSON",
    "health-live": "the load balancer's probe: JSON",
    "health-ready": "the load balancer's probe: JSON",
    "set_language": "the header's language buttons post here; it redirects back to the page",
    "notifications:open": "redirects to what the notice is about (and marks it read)",
    "accounts:avatar": _POST_ONLY,
    "accounts:certificate": _POST_ONLY,
    "accounts:session-revoke": _POST_ONLY,
    "accounts:signout": _POST_ONLY,
    "accounts:token-revoke": _POST_ONLY,
    "notifications:read": _POST_ONLY,
    "works:delete": _POST_ONLY,
    "works:resubmit": _POST_ONLY,
    "works:unpublish": _POST_ONLY,
    "works:republish": _POST_ONLY,
    "moderation:act": _POST_ONLY,
    "moderation:bulk": _POST_ONLY,
    "moderation:claim": _POST_ONLY,
    "moderation:reverse": _POST_ONLY,
    "moderation_staff:sanction-lift": _POST_ONLY,
    "moderation_staff:strike-resolve": _POST_ONLY,
    "licensing:accept": _POST_ONLY,
    "licensing:decline": _POST_ONLY,
    "licensing:withdraw": _POST_ONLY,
    "reposts:approve": _POST_ONLY,
    "reposts:decline": _POST_ONLY,
    "reposts:revoke": _POST_ONLY,
    "privacy:restore": _POST_ONLY,
    "exports:new": _POST_ONLY,
    "shop:cart-add": _POST_ONLY,
    "shop:cart-update": _POST_ONLY,
    "shop:order-pay": _POST_ONLY,
    "shop:order-cancel": _POST_ONLY,
    "shop_studio:withdraw": _POST_ONLY,
    "shop_studio:payout": _POST_ONLY,
    "shop_staff:review_claim": _POST_ONLY,
    "shop_staff:review_approve": _POST_ONLY,
    "shop_staff:review_reject": _POST_ONLY,
    "shop_staff:order_advance": _POST_ONLY,
    "shop_staff:order_refund": _POST_ONLY,
    "shop_staff:order_address": _POST_ONLY,
    "shop_staff:payout_settle": _POST_ONLY,
    "shop_staff:variant_add": _POST_ONLY,
    "shop_staff:variant_cost": _POST_ONLY,
    "shop_staff:variant_active": _POST_ONLY,
    "shop_staff:print_area": _POST_ONLY,
    "staff:note-add": _POST_ONLY,
    "staff:user-signin-locks": _POST_ONLY,
    "staff:work-publish": _POST_ONLY,
    "disclosure:withdraw": _POST_ONLY,
    "disclosure:requeue": _POST_ONLY,
    "disclosure:download": "an action whose answer is the export's ZIP file, downloaded once",
    "works:file": _FILE + ": an original or a derivative picture",
    "works:public-file": _FILE + ": a published work's picture",
    "shop:mockup": _FILE + ": a product's mockup picture",
    "shop_studio:art": _FILE + ": a product type's template picture",
    "shop_studio:revenue_csv": _FILE + ": the revenue as CSV",
    "shop_staff:print_file": _FILE + ": the print file of an order line",
    "messaging:attachment": _FILE + ": a message's attachment",
    "messaging_staff:attachment": _FILE + ": a reported message's attachment",
    "exports:download": _FILE + ": the data export archive",
    "proofs:json": _FILE + ": the proof certificate as JSON",
    "proofs:pdf": _FILE + ": the proof certificate as PDF",
    "licensing_deals:pdf": _FILE + ": the deal as PDF",
    "disclosure:document": _FILE + ": the authority's letter as it was received",
    "staff:certificate-file": _FILE + ": an organization's certificate scan",
    "reports_staff:evidence": _FILE + ": a report's document",
}

LANGUAGES = {"zh-CN": "zh-Hans", "en-US": "en"}
WIDTHS = {1280: {"width": 1280, "height": 900}, 390: {"width": 390, "height": 844}}
GOOD_CARD = "4242 4242 4242 4242"


def visited_url_names() -> set[str]:
    return {name for pages in (*ROLES.values(), TWO_FACTOR_PAGES) for name, _path in pages}


def _published(owner, mo, title: str, seed: int, **extra):
    work = _awaiting_work(owner, title, seed, **extra)
    review_approve(actor=mo, work=work)
    return work


def _terms() -> dict[str, object]:
    """A non-exclusive IP licence from tomorrow for a year, as the request form sends it."""
    start = local_today() + dt.timedelta(days=1)
    return {
        "kind": "ip_licence",
        "intended_use": "A capsule collection of T-shirts",
        "product_categories": ["apparel"],
        "territories": ["cn"],
        "channels": ["online"],
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=364)).isoformat(),
        "fee_model": "flat",
        "flat_fee": "12000",
    }


def _seed() -> dict[str, object]:
    """The cast and one object of each kind the pages show; returns what the paths' placeholders name."""
    ana, cy = make_user("ana"), make_user("cy")
    mo = make_user("mo", role="moderator")
    lee = make_user("lee", role="legal_officer")
    root = make_user("root", role="admin")
    ben = account_verify(
        actor=root,
        user=make_user("ben_brand", kind="organization"),
        verified=True,
        reason="certificate checked",
    )
    orchid = make_user("orchid", kind="organization")  # its certificate awaits review
    sal, tess = make_user("sal"), make_user("tess")

    published = _published(ana, mo, "Teahouse at dusk", 31, repost_allowed=True)
    reported = _published(ana, mo, "Fox in the snow", 33)
    taken_down = _published(ana, mo, "Heron at dawn", 34)
    awaiting = _awaiting_work(ana, "Cat on the stairs", seed=32)
    tree_head_sign()  # certificates are served against signed tree heads

    tshirt = ProductType.objects.get(slug="tshirt")
    variants = Variant.objects.filter(product_type=tshirt, size="M", colour__in=["#ffffff", "#1f1f1f"])
    draft = ProductDraft(
        work_id=published.pk,
        product_type_id=tshirt.pk,
        variant_ids=tuple(v.pk for v in variants),
        title="Teahouse tee",
        placement=Placement(x=0.5, y=0.4, scale=0.6),
        price_fen=99_00,
    )
    product = product_approve(moderator=mo, product=product_create(maker=ana, draft=draft))
    variant = product.variants.order_by("pk")[0]
    cart_add(user=cy, session_key="", product_reference=product.reference, variant_id=variant.pk, quantity=1)
    order = order_place(
        buyer=cy, address=Address(name="王买家", phone="13800001234", address="上海市黄浦区 1 号")
    )
    order_pay(buyer=cy, order=order, card=GOOD_CARD, attempt="a1")
    cart_add(user=cy, session_key="", product_reference=product.reference, variant_id=variant.pk, quantity=2)

    licence_request = request_send(requester=ben, work_ids=[published.pk], data=_terms(), message="Hello")
    dealt = request_send(requester=ben, work_ids=[published.pk], data=_terms())
    deal = request_accept(request=dealt, by=ana, number=1)

    report = ip_report(cy, reported)
    upheld = ip_report(cy, taken_down)
    item = upheld.items.get()
    report_decide(
        actor=lee,
        report=upheld,
        uphold=True,
        reasons="The sketches predate it.",
        actions={item.pk: "takedown"},
    )
    counter = counter_notice_file(uploader=ana, item=item, explanation="I drew it in 2019.", files=[])
    pdfs = [Upload("identity", "id.pdf", PDF), Upload("proof", "registration.pdf", PDF)]
    rights_profile = rights_profile_create(
        owner=cy,
        party_kind="person",
        name="Cy Holder",
        mailing_address="北京市东城区 1 号",
        phone="13900002222",
        email="cy@example.com",
        rights="Copyright in my illustrations.",
        files=pdfs,
    )

    warning = sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    appeal = appeal_open(
        user=ana, target=strike_record(actor=mo, user=ana, reason_code="abuse"), statement="Not me."
    )
    suspension = sanction_apply(actor=mo, user=sal, kind="suspension", reason_code="abuse")

    thread = direct_thread_open(
        sender=cy, creator=ana, topic="A poster for our café", body="Could you draw one?"
    )
    reported_thread = thread_report(reporter=ana, thread=thread, reason="Spam.")
    ask = AskInput(
        work_id=published.pk, site_url="https://blog.example.com/posts/1", purpose="A review", months=6
    )
    permission = repost_approve(permission=repost_ask(requester=cy, data=ask), actor=ana)

    today = local_today()
    disclosure = request_record(
        by=lee,
        data=RequestInput(
            authority="Beijing Municipal Public Security Bureau",
            legal_basis="Cybersecurity Law art. 28",
            authority_reference="JG-2026-0042",
            usernames="ana",
            kinds=["registration", "content"],
            period_from=today - dt.timedelta(days=30),
            period_to=today,
            deadline=today + dt.timedelta(days=10),
            notice_prohibited=False,
            document=Upload("document", "letter.pdf", PDF),
        ),
    )

    device, _uri = security.totp_begin(user=tess)
    security.totp_confirm(user=tess, code=pyotp.TOTP(device.secret).now())

    # The privacy policy's version 2 asks everyone to accept it again: everyone has, but Rue.
    rue = make_user("rue")
    version_publish(
        actor=None,
        document=Document.objects.get(slug="privacy-policy"),
        text_zh="新的隐私政策\n",
        text_en="New privacy policy\n",
        effective_date=timezone.localdate(),
        requires_reacceptance=True,
    )
    for user in (ana, cy, mo, lee, root, ben, orchid, sal, tess):
        consent_reaccept(user=user, accepted=["privacy-policy@2"])
    del rue

    return {
        "published": published.pk,
        "awaiting": awaiting.pk,
        "product": product.reference,
        "order": order.reference,
        "licence_request": licence_request.reference,
        "deal": deal.reference,
        "report": report.reference,
        "reporter_key": f"u{cy.pk}",  # a member notifier's key
        "taken_down_item": item.pk,
        "counter_notice": counter.pk,
        "rights_profile": rights_profile.pk,
        "warning": warning.pk,
        "appeal": appeal.pk,
        "blocked_pass": blocked_pass_for(suspension.pk),
        "thread": thread.pk,
        "thread_report": reported_thread.pk,
        "permission": permission.reference,
        "disclosure": disclosure.reference,
        # The link of a reset mail to Orchid, who never signs in here (signing in would spend it).
        "reset_uid": urlsafe_base64_encode(force_bytes(orchid.pk)),
        "reset_token": default_token_generator.make_token(orchid),
    }


def _visit(
    page: Page, site: str, pages: Pages, seeded: dict[str, object], lang: str, audit: PageAudit
) -> list[str]:
    """Opens each page and audits it; returns their addresses."""
    opened = []
    for name, path in pages:
        address = path.format(**seeded)
        response = page.goto(site + address)
        assert response is not None and response.ok, (
            f"{name} {address} answered {response and response.status}"
        )
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # Now, not only when the load event's handler gets its turn: the next address may come first.
        audit.audit(page)
        opened.append(page.url)
    return opened


def _send_empty(page: Page, site: str, forms: list[tuple[str, str, str]], audit: PageAudit) -> list[str]:
    """Sends each form with nothing filled in and audits the page that shows the errors."""
    shown = []
    for name, address, form in forms:
        page.goto(site + address)
        page.locator(form).locator("button[type='submit']").first.click()
        page.wait_for_load_state()
        errors = page.locator(".field.invalid, .errors[role='alert'], .messages .error")
        expect(errors.first, f"{name}: sent empty, the page shows no error").to_be_visible()
        audit.audit(page)
        shown.append(page.url)
    return shown


def _sign_in_two_factor(page: Page, site: str, username: str) -> None:
    """The password step only: it leads to the code page, which the audit then checks."""
    page.goto(f"{site}/accounts/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(f"{site}/accounts/signin/code/?next=/accounts/me/")


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_and_fits_a_phone_in_both_languages(
    new_context, page_audit, site, locale: str, width: int
):
    """Visitor, member, creator, brand, moderator, legal officer and administrator open every page they can
    reach; the audit (axe-core, WCAG 2.1 A and AA; no sideways scrolling at 390 px) checks each one.

    REQ: UX-1
    """
    seeded = _seed()
    lang = LANGUAGES[locale]

    def browser() -> Page:
        return new_context(locale=locale, viewport=WIDTHS[width]).new_page()

    opened = []
    for username, pages in ROLES.items():
        page = browser()
        if username:
            _sign_in(page, site, username, "/accounts/me/")
        opened += _visit(page, site, pages, seeded, lang, page_audit)
        opened += _send_empty(page, site, FORMS_SENT_EMPTY.get(username, []), page_audit)
    page = browser()
    _sign_in_two_factor(page, site, "tess")
    page.wait_for_load_state()
    page_audit.audit(page)
    page_audit.finish()
    # Each page was audited, not only opened: the audit runs when a document has loaded.
    audited = {where.split(" (")[0] for where in page_audit.audited}
    assert sorted(set(opened) - audited) == []
    assert f"{site}/accounts/signin/code/?next=/accounts/me/" in audited


def test_the_attribution_and_the_charts_are_shown_whole_at_phone_width(new_context, site):
    """The attribution to copy is shown whole, "Source: Inspiracle" included; the transparency charts keep their
    labels at 11 px or more: drawn at their own size, never shrunk.

    REQ: UX-1
    """
    ana, mo = make_user("ana"), make_user("mo", role="moderator")
    published = _published(ana, mo, "Teahouse at dusk", 31, repost_allowed=True)
    visitor = new_context(locale="zh-CN", viewport=WIDTHS[390]).new_page()
    visitor.goto(f"{site}/works/{published.pk}/")
    attribution = visitor.locator("#attribution")
    expect(attribution).to_contain_text("Inspiracle")
    assert attribution.evaluate(
        "box => box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1"
    )
    visitor.goto(f"{site}/reports/transparency/")
    charts = visitor.locator("svg.chart")
    expect(charts.first).to_be_visible()
    for k in range(charts.count()):
        assert charts.nth(k).evaluate("svg => svg.getBoundingClientRect().width >= svg.viewBox.baseVal.width")


@pytest.mark.browser_context_args(locale="en-US")
def test_the_processing_status_is_told_in_words_and_announced(page: Page, site, monkeypatch):
    """While the files are checked, a file that passes says so in words on its badge, not only in colour, and
    the status region announces it. The broker is down here (the checks never start), and
    the page's poll of the API is answered as if one file had just passed.

    REQ: UX-1
    """
    from inspiracle.pipeline import tasks

    monkeypatch.setattr(tasks.process_file, "delay", lambda *args, **kwargs: None)
    ana = make_user("ana")
    work = work_create(
        owner=ana,
        title="Still being checked",
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile("41.png", image_bytes("PNG", seed=41), content_type="image/png")],
    )
    file = work.files.get()
    page.route(
        "**/api/works/*",
        lambda route: route.fulfill(
            json={"id": work.pk, "status": "processing", "files": [{"id": file.pk, "status": "ready"}]}
        ),
    )
    _sign_in(page, site, "ana", f"/works/{work.pk}/")
    status = page.locator("#work-status")
    badge = status.locator(f"[data-file='{file.pk}'] .badge")
    expect(badge).to_have_text("Passed the checks")
    expect(badge).to_have_class("badge state-ready")
    # Said once through the status region, not by re-reading the whole box.
    expect(status.locator("#work-status-announce[role='status'] p")).to_have_text("41.png: Passed the checks")
