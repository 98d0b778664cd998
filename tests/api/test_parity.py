"""Every page has an API counterpart (UX-2, issue 15): each URL name of the site, from every namespace, names
the OpenAPI operations that do what the page does, or records why none is needed. A new page fails this test
until it is added to one of the three tables below."""

from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api

Operations = tuple[str, ...]

# url name -> the operations ("METHOD /api/path" as the OpenAPI document writes them) that do what it does.
COUNTERPARTS: dict[str, Operations] = {
    # accounts
    "accounts:avatar": ("POST /api/me/avatar", "DELETE /api/me/avatar"),
    "accounts:certificate": ("POST /api/me/certificate",),
    "accounts:consents": ("GET /api/me/consents",),
    "accounts:email-confirm": ("POST /api/auth/email/confirm",),
    "accounts:me": ("GET /api/me",),
    "accounts:password-change": ("POST /api/me/password",),
    "accounts:password-reset": ("POST /api/auth/password-reset",),
    "accounts:password-reset-confirm": ("POST /api/auth/password-reset/confirm",),
    "accounts:profile-edit": ("GET /api/me/profile", "PATCH /api/me/profile"),
    "accounts:register": ("POST /api/auth/register",),
    "accounts:registration": ("GET /api/me/registration", "PATCH /api/me/registration"),
    "accounts:session-revoke": ("DELETE /api/me/sessions/{ref}",),
    "accounts:sessions": ("GET /api/me/sessions", "POST /api/me/sessions/sign-out-others"),
    # An API client signs in by creating a token with the password (and the code, with two-factor on).
    "accounts:signin": ("POST /api/auth/tokens",),
    "accounts:signin-totp": ("POST /api/auth/tokens",),
    "accounts:signout": ("DELETE /api/me/tokens/{token_id}",),
    "accounts:token-revoke": ("DELETE /api/me/tokens/{token_id}",),
    "accounts:tokens": ("GET /api/me/tokens", "POST /api/me/tokens"),
    "accounts:totp": ("POST /api/me/totp", "POST /api/me/totp/confirm", "POST /api/me/totp/disable"),
    # agreements
    "agreements:index": ("GET /api/agreements",),
    "agreements:accept": ("POST /api/me/consents",),
    "agreements:document": ("GET /api/agreements/{slug}/versions",),
    "agreements:version": ("GET /api/agreements/{slug}/versions/{number}",),
    "agreements:diff": ("GET /api/agreements/{slug}/diff",),
    # standing and appeals
    "standing:standing": ("GET /api/me/standing",),
    "standing:appeal-new": ("POST /api/appeals",),
    "standing:appeal": ("GET /api/appeals/{appeal_id}", "POST /api/appeals/{appeal_id}/messages"),
    "standing:blocked": (
        "GET /api/appeal-pass",
        "POST /api/appeal-pass/appeal",
        "POST /api/appeal-pass/messages",
    ),
    # works, gallery, profiles
    "gallery": ("GET /api/works/public",),
    "portfolio": ("GET /api/works/public",),  # with owner=<username>
    "profile": ("GET /api/profiles/{username}",),
    "works:new": ("POST /api/works",),
    "works:mine": ("GET /api/works",),
    "works:detail": ("GET /api/works/{work_id}",),
    "works:edit": ("PATCH /api/works/{work_id}", "POST /api/works/{work_id}/files"),
    "works:resubmit": ("POST /api/works/{work_id}/resubmit",),
    "works:unpublish": ("POST /api/works/{work_id}/unpublish",),
    "works:republish": ("POST /api/works/{work_id}/republish",),
    "works:delete": ("DELETE /api/works/{work_id}",),
    "works:file": ("GET /api/works/{work_id}/files/{file_id}/{kind}",),
    "works:public-file": ("GET /api/works/{work_id}/files/{file_id}/{kind}",),
    # proofs of creation
    "proofs:keys": ("GET /api/proofs/keys",),
    "proofs:certificates": ("GET /api/works/{work_id}/certificate",),
    "proofs:json": ("GET /api/works/{work_id}/certificate",),
    "proofs:pdf": ("GET /api/works/{work_id}/certificate.pdf",),
    # notifications
    "notifications:inbox": ("GET /api/inbox",),
    "notifications:settings": (
        "GET /api/me/notification-preferences",
        "PATCH /api/me/notification-preferences",
    ),
    "notifications:read": ("POST /api/inbox/read",),
    "notifications:open": ("POST /api/inbox/read",),
    # reports
    "reports:mine": ("GET /api/reports",),
    "reports:new": ("POST /api/reports",),
    "reports:email": ("POST /api/reports/email", "POST /api/reports/email/confirm"),
    "reports:transparency": ("GET /api/reports/transparency",),
    "reports:profiles": (
        "GET /api/reports/profiles",
        "POST /api/reports/profiles",
        "GET /api/reports/profiles/{profile_id}",
    ),
    "reports:counter": ("GET /api/reports/notices/{item_id}", "POST /api/reports/notices/{item_id}/counter"),
    "reports:detail": ("GET /api/reports/{reference}", "POST /api/reports/{reference}"),
    "reports_staff:queue": ("GET /api/staff/reports",),
    "reports_staff:reporter": (
        "GET /api/staff/reports/reporters/{key}",
        "GET /api/staff/reports/reporters/{key}/reports",
    ),
    # staff console
    "staff:dashboard": ("GET /api/staff/dashboard",),
    "staff:users": ("GET /api/staff/users",),
    "staff:user": ("GET /api/staff/users/{username}", "GET /api/staff/users/{username}/notes"),
    "staff:note-add": (
        "POST /api/staff/users/{username}/notes",
        "POST /api/staff/works/{work_id}/notes",
        "POST /api/staff/reports/{reference}/notes",
    ),
    "staff:works": ("GET /api/staff/works",),
    "staff:screening": (
        "GET /api/staff/screening-terms",
        "POST /api/staff/screening-terms",
        "DELETE /api/staff/screening-terms/{term_id}",
    ),
    "moderation:item": ("GET /api/staff/review/{work_id}",),
    "reports_staff:evidence": ("GET /api/staff/reports/evidence/{evidence_id}",),
    "reports_staff:counter-notices": ("GET /api/staff/reports/counter-notices",),
    "reports_staff:counter-notice": ("POST /api/staff/reports/counter-notices/{notice_id}/decision",),
    "reports_staff:profiles": ("GET /api/staff/reports/profiles",),
    "reports_staff:profile": ("POST /api/staff/reports/profiles/{profile_id}/decision",),
    "reports_staff:report": (
        "GET /api/staff/reports/{reference}",
        "POST /api/staff/reports/{reference}/decision",
    ),
    # licensing
    "licensing:hub": ("GET /api/licensing/requests",),
    "licensing:new": ("POST /api/licensing/requests",),
    "licensing:request": ("GET /api/licensing/requests/{reference}",),
    "licensing:counter": ("POST /api/licensing/requests/{reference}/proposals",),
    "licensing:accept": ("POST /api/licensing/requests/{reference}/accept",),
    "licensing:decline": ("POST /api/licensing/requests/{reference}/decline",),
    "licensing:withdraw": ("POST /api/licensing/requests/{reference}/withdraw",),
    "licensing_deals:list": ("GET /api/licensing/deals",),
    "licensing_deals:detail": (
        "GET /api/licensing/deals/{reference}",
        "GET /api/licensing/deals/{reference}/contact",
    ),
    "licensing-contacts": ("GET /api/licensing/contact-disclosures",),
    "licensing_staff:deals": ("GET /api/staff/licensing/deals",),
    "licensing_staff:deal": (
        "GET /api/staff/licensing/deals/{reference}",
        "POST /api/staff/licensing/deals/{reference}/annul",
    ),
    "licensing_staff:register": ("GET /api/staff/licensing/register",),
    "licensing_staff:disclosures": ("GET /api/staff/licensing/disclosures",),
    # reposts
    "reposts:ask": ("POST /api/reposts",),
    "reposts:email": ("POST /api/reposts/email", "POST /api/reposts/email/confirm"),
    "reposts:mine": ("GET /api/reposts",),
    "reposts:detail": ("GET /api/reposts/{reference}",),
    "reposts:approve": ("POST /api/reposts/{reference}/approve",),
    "reposts:decline": ("POST /api/reposts/{reference}/decline",),
    "reposts:revoke": ("POST /api/reposts/{reference}/revoke",),
    # messages
    "messaging:threads": ("GET /api/threads",),
    "messaging:thread": (
        "GET /api/threads/{thread_id}",
        "POST /api/threads/{thread_id}/messages",
        "POST /api/threads/{thread_id}/read",
    ),
    "messaging:report": ("POST /api/threads/{thread_id}/report", "POST /api/messages/{message_id}/report"),
    "messaging:direct-new": ("POST /api/threads/direct",),
    "messaging:settings": ("GET /api/messages/settings", "PUT /api/messages/settings"),
    "messaging:attachment": ("GET /api/messages/attachments/{attachment_id}",),
    "messaging_staff:reports": ("GET /api/staff/message-reports",),
    "messaging_staff:report": (
        "GET /api/staff/message-reports/{report_id}",
        "POST /api/staff/message-reports/{report_id}/decide",
    ),
    "messaging_staff:attachment": ("GET /api/staff/message-attachments/{attachment_id}",),
    # privacy and exports
    "privacy:rights": ("GET /api/account/cancellation", "GET /api/account/exports"),
    "privacy:cancel": ("POST /api/account/cancellation",),
    "privacy:restore": ("DELETE /api/account/cancellation",),
    "exports:list": ("GET /api/account/exports",),
    "exports:new": ("POST /api/account/exports",),
    "exports:download": ("GET /api/account/exports/{export_id}/download/{token}",),
    # shop
    "shop:list": ("GET /api/shop/products",),
    "shop:product": ("GET /api/shop/products/{reference}",),
    "shop:cart": ("GET /api/shop/cart",),
    "shop:cart-add": ("POST /api/shop/cart",),
    "shop:cart-update": ("PATCH /api/shop/cart/{line_id}", "DELETE /api/shop/cart/{line_id}"),
    "shop:checkout": ("POST /api/shop/orders",),
    "shop:orders": ("GET /api/shop/orders",),
    "shop:order": ("GET /api/shop/orders/{reference}",),
    "shop:order-pay": ("POST /api/shop/orders/{reference}/pay",),
    "shop:order-cancel": ("POST /api/shop/orders/{reference}/cancel",),
    "shop_studio:products": ("GET /api/shop/studio/products",),
    "shop_studio:new": ("POST /api/shop/studio/products", "GET /api/shop/product-types"),
    "shop_studio:product": ("GET /api/shop/studio/products/{reference}",),
    "shop_studio:withdraw": ("POST /api/shop/studio/products/{reference}/withdraw",),
    "shop_studio:sales": ("GET /api/shop/studio/sales",),
    "shop_studio:revenue": ("GET /api/shop/studio/revenue",),
    "shop_studio:revenue_csv": ("GET /api/shop/studio/revenue",),
    "shop_studio:payout": ("GET /api/shop/studio/payouts", "POST /api/shop/studio/payouts"),
    "shop_staff:review": ("GET /api/staff/shop/review",),
    "shop_staff:review_product": ("GET /api/staff/shop/review/{reference}",),
    "shop_staff:review_claim": ("POST /api/staff/shop/review/{reference}/claim",),
    "shop_staff:review_approve": ("POST /api/staff/shop/review/{reference}/approve",),
    "shop_staff:review_reject": ("POST /api/staff/shop/review/{reference}/reject",),
    "shop_staff:orders": ("GET /api/staff/shop/orders",),
    "shop_staff:order": ("GET /api/staff/shop/orders/{reference}",),
    "shop_staff:order_advance": ("POST /api/staff/shop/orders/{reference}/advance",),
    "shop_staff:order_refund": ("POST /api/staff/shop/orders/{reference}/refund",),
    "shop_staff:order_address": ("POST /api/staff/shop/orders/{reference}/address",),
    "shop_staff:payouts": ("GET /api/staff/shop/payouts",),
    "shop_staff:payout_settle": ("POST /api/staff/shop/payouts/{payout_id}/settle",),
    "shop_staff:catalogue": ("GET /api/staff/shop/catalogue/types",),
    "shop_staff:catalogue_type": (
        "GET /api/staff/shop/catalogue/types/{slug}",
        "PATCH /api/staff/shop/catalogue/types/{slug}",
    ),
    "shop_staff:variant_add": ("POST /api/staff/shop/catalogue/types/{slug}/variants",),
    "shop_staff:variant_cost": ("PATCH /api/staff/shop/catalogue/variants/{variant_id}",),
    "shop_staff:variant_active": ("PATCH /api/staff/shop/catalogue/variants/{variant_id}",),
    "shop_staff:print_area": ("PATCH /api/staff/shop/catalogue/print-areas/{area_id}",),
    # moderation
    "moderation:queue": ("GET /api/staff/review", "GET /api/staff/review/reasons"),
    "moderation:bulk": ("POST /api/staff/review/bulk",),
    "moderation:claim": ("POST /api/staff/review/{work_id}/claim",),
    "moderation:act": (
        "POST /api/staff/review/{work_id}/decision",
        "POST /api/staff/works/{work_id}/takedown",
        "POST /api/staff/works/{work_id}/mask",
    ),
    "moderation:reverse": ("POST /api/staff/decisions/{decision_id}/reverse",),
    "moderation_staff:account": (
        "GET /api/staff/accounts/{username}/moderation",
        "POST /api/staff/accounts/{username}/sanctions",
        "POST /api/staff/accounts/{username}/strikes",
    ),
    "moderation_staff:sanction-lift": ("POST /api/staff/sanctions/{sanction_id}/lift",),
    "moderation_staff:strike-resolve": ("POST /api/staff/strikes/{strike_id}/resolve",),
    "moderation_staff:appeals": ("GET /api/staff/appeals",),
    "moderation_staff:appeal": (
        "GET /api/staff/appeals/{appeal_id}",
        "POST /api/staff/appeals/{appeal_id}/take",
        "POST /api/staff/appeals/{appeal_id}/messages",
        "POST /api/staff/appeals/{appeal_id}/decision",
    ),
    # staff console
    "staff:agreements": ("GET /api/agreements", "POST /api/staff/agreements/{slug}/versions"),
    "staff:audit": ("GET /api/staff/audit",),
    "staff:user-registration": ("GET /api/staff/users/{username}/registration",),
    "staff:user-signin-locks": (
        "GET /api/staff/users/{username}/signin-locks",
        "POST /api/staff/users/{username}/signin-locks/clear",
    ),
    "staff:verification": ("GET /api/staff/verification",),
    "staff:verification-review": ("POST /api/staff/users/{username}/certificates/{certificate_id}/decision",),
    "staff:certificate-file": ("GET /api/staff/users/{username}/certificates/{certificate_id}",),
    "staff:names": (
        "GET /api/staff/protected-names",
        "POST /api/staff/protected-names",
        "DELETE /api/staff/protected-names/{name_id}",
    ),
    "staff:work-publish": ("POST /api/staff/works/{work_id}/publish",),
    # disclosure to authorities
    "disclosure:register": ("GET /api/staff/disclosure/requests",),
    "disclosure:record": ("POST /api/staff/disclosure/requests",),
    "disclosure:detail": (
        "GET /api/staff/disclosure/requests/{reference}",
        "POST /api/staff/disclosure/requests/{reference}/decision",
    ),
    "disclosure:withdraw": ("POST /api/staff/disclosure/requests/{reference}/withdraw",),
    "disclosure:download": ("POST /api/staff/disclosure/requests/{reference}/export",),
    "disclosure:requeue": ("POST /api/staff/disclosure/requests/{reference}/export/requeue",),
    "disclosure:document": ("GET /api/staff/disclosure/requests/{reference}/document",),
}

# url name -> why it needs no endpoint of its own.
NO_API_NEEDED: dict[str, str] = {
    "home": "landing page: its lists are GET /api/works/public",
    "health": "operations probe for the load balancer, not a user action",
    "health-live": "operations probe for the load balancer, not a user action",
    "health-ready": "operations probe for the load balancer, not a user action",
    "set_language": "the browser's language cookie; a signed-in account's language is PATCH /api/me/language",
    "accounts:register-declined": "information page after declining the agreements; an API client just does not register",
    "licensing_deals:print": "a printable rendering of GET /api/licensing/deals/{reference}",
    "licensing_deals:pdf": "the deal as a PDF document: a rendering of GET /api/licensing/deals/{reference}",
    "shop:mockup": "image file: GET /api/shop/products/{reference} gives its address",
    "shop_studio:art": "static asset: a product type's template picture in one colour",
    "shop_staff:print_file": "image file: GET /api/staff/shop/orders/{reference} gives each line's print_file address",
}

# Pages whose action has no endpoint yet and needs one: listed so that they are known, not forgotten.
NOT_YET: dict[str, str] = {}


def page_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "api":
                    continue
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def api_operations() -> set[str]:
    document = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, methods in document["paths"].items() for method in methods}


def test_every_page_has_an_api_counterpart_or_a_recorded_reason():
    """REQ: UX-2"""
    tables = (COUNTERPARTS, NO_API_NEEDED, NOT_YET)
    recorded = [name for table in tables for name in table]
    assert len(recorded) == len(set(recorded)), "a url name is in two tables"
    names = page_url_names()
    assert sorted(names - set(recorded)) == []  # a new page: name its endpoints, or why it needs none
    assert sorted(set(recorded) - names) == []  # a page that is gone


def test_every_named_counterpart_is_an_operation_of_the_openapi_document():
    """REQ: UX-2"""
    operations = api_operations()
    unknown = {name: op for name, ops in COUNTERPARTS.items() for op in ops if op not in operations}
    assert unknown == {}


def test_every_reason_says_something():
    assert all(len(reason.split()) >= 3 for reason in (*NO_API_NEEDED.values(), *NOT_YET.values()))
