"""The staff console's role x object x action matrix: every access function of staff/selectors.py and every
staff service of issue 15, for every role: who gets it, who gets "not found" (everyone who is not staff) and who
a refusal (staff without the right); and the same answers through the API. REQ: MOD-7"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome
from inspiracle.reports.tests.test_staff import ip_report
from inspiracle.staff import selectors, services

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "moderator", "legal_officer", "admin")
STAFF = {"moderator", "legal_officer", "admin"}
OFFICERS = {"legal_officer", "admin"}


def _only(allowed: set[str]) -> dict[str, str]:
    return {role: "ok" if role in allowed else "refused" if role in STAFF else "not_found" for role in ROLES}


@pytest.fixture
def world(ana, ben, cy, mo, lee, ada, published_work):
    users = {"visitor": AnonymousUser(), "member": cy, "moderator": mo, "legal_officer": lee, "admin": ada}
    work = published_work()
    certificate = ben.certificates.newest()
    return users, {"user": ana, "work": work, "report": ip_report(cy, work), "certificate": certificate}


# (object, action): the call, given the acting user and the objects; who may do it.
MATRIX = {
    ("user", "open"): (lambda u, o: selectors.access_user_for_staff(u, "ana", "staff.console"), _only(STAFF)),
    ("user", "open_personal"): (
        lambda u, o: selectors.access_user_for_staff(u, "ana", "pii.read"),
        _only(OFFICERS),
    ),
    ("user", "search_by_name"): (lambda u, o: services.user_search(u, query="an", by="name"), _only(STAFF)),
    ("user", "search_by_email"): (
        lambda u, o: services.user_search(u, query="ana@example.com", by="email"),
        _only(OFFICERS),
    ),
    ("user", "search_by_phone"): (
        lambda u, o: services.user_search(u, query="13800000000", by="phone"),
        _only(OFFICERS),
    ),
    ("user", "note_subject"): (
        lambda u, o: selectors.access_note_subject_for_staff(u, "user", "ana"),
        _only(STAFF),
    ),
    ("user", "notes_list"): (lambda u, o: services.note_list(u, o["user"]), _only(STAFF)),
    ("user", "note_add"): (
        lambda u, o: services.note_add(actor=u, subject=o["user"], text="n"),
        _only(STAFF),
    ),
    ("work", "note_subject"): (
        lambda u, o: selectors.access_note_subject_for_staff(u, "work", str(o["work"].pk)),
        _only(STAFF),
    ),
    ("work", "notes_list"): (lambda u, o: services.note_list(u, o["work"]), _only(STAFF)),
    ("work", "note_add"): (
        lambda u, o: services.note_add(actor=u, subject=o["work"], text="n"),
        _only(STAFF),
    ),
    ("work", "review_item"): (lambda u, o: selectors.review_item_for_staff(u, o["work"].pk), _only(STAFF)),
    ("report", "note_subject"): (
        lambda u, o: selectors.access_note_subject_for_staff(u, "report", o["report"].reference),
        _only(OFFICERS),
    ),
    ("report", "notes_list"): (lambda u, o: services.note_list(u, o["report"]), _only(OFFICERS)),
    ("report", "note_add"): (
        lambda u, o: services.note_add(actor=u, subject=o["report"], text="n"),
        _only(OFFICERS),
    ),
    ("console", "dashboard"): (lambda u, o: services.dashboard_counts(u), _only(STAFF)),
    ("audit_log", "read"): (lambda u, o: services.audit_log_open(u, target="ana"), _only(OFFICERS)),
    ("organization", "review"): (
        lambda u, o: selectors.access_organization_for_review(u, "ben_brand"),
        _only(OFFICERS),
    ),
    ("certificate", "open"): (
        lambda u, o: selectors.access_certificate_for_staff(u, "ben_brand", o["certificate"].pk),
        _only(OFFICERS),
    ),
    ("organization", "verification_queue"): (
        lambda u, o: selectors.verification_queue_for_staff(u),
        _only(OFFICERS),
    ),
}


def test_the_matrix_covers_every_access_function():
    names = {name for name in dir(selectors) if name.startswith("access_")}
    covered = {
        "access_user_for_staff",
        "access_note_subject_for_staff",
        "access_organization_for_review",
        "access_certificate_for_staff",
    }
    assert names == covered


@pytest.mark.parametrize(("subject", "action"), list(MATRIX))
def test_each_role_reaches_exactly_what_it_should(world, subject, action):
    users, objects = world
    call, expected = MATRIX[(subject, action)]
    seen = {role: access_outcome(lambda u=users[role]: call(u, objects)) for role in ROLES}
    assert seen == expected


def _client(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


API = [
    # (method, path template, JSON body): who gets an answer other than 403/404.
    ("get", "/api/staff/users?q=an", None, STAFF),
    ("get", "/api/staff/users?q=ana@example.com&by=email", None, OFFICERS),
    ("get", "/api/staff/users/ana", None, STAFF),
    ("get", "/api/staff/dashboard", None, STAFF),
    ("get", "/api/staff/users/ana/notes", None, STAFF),
    ("post", "/api/staff/users/ana/notes", {"text": "n"}, STAFF),
    ("get", "/api/staff/works/{work}/notes", None, STAFF),
    ("post", "/api/staff/works/{work}/notes", {"text": "n"}, STAFF),
    ("get", "/api/staff/reports/{report}/notes", None, OFFICERS),
    ("post", "/api/staff/reports/{report}/notes", {"text": "n"}, OFFICERS),
    ("get", "/api/staff/screening-terms", None, STAFF),
    ("post", "/api/staff/screening-terms", {"term": "free download"}, STAFF),
    ("get", "/api/staff/works?status=published", None, STAFF),
    ("get", "/api/staff/review/{work}", None, STAFF),
    ("get", "/api/staff/audit?actor=ada", None, OFFICERS),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), API)
def test_the_api_answers_each_role_as_the_matrix_says(world, method, path, body, allowed):
    users, objects = world
    url = path.format(work=objects["work"].pk, report=objects["report"].reference)
    for role in ROLES:
        client = _client(users[role])
        if body and "term" in body:  # each role adds its own term: a second add of one is refused (400)
            body = {**body, "term": f"free download {role}"}
        response = (
            client.get(url) if method == "get" else client.post(url, body, content_type="application/json")
        )
        if role in allowed:
            assert response.status_code in (200, 201), (role, response.content)
        elif role in STAFF:
            assert response.status_code == 403, role
        else:
            assert response.status_code in (401, 404), role


@pytest.mark.parametrize("action", ["role", "verification"])
def test_changing_an_account_tells_no_one_without_the_right_whether_it_exists(world, action):
    """REQ: MOD-7: the role is checked before the account is looked up, as on the pages."""
    users, _objects = world
    body = {"role": "moderator", "reason": "r"} if action == "role" else {"verified": True, "reason": "r"}
    for role in ("visitor", "member", "moderator"):
        client = _client(users[role])
        answers = {
            client.post(
                f"/api/staff/users/{name}/{action}", body, content_type="application/json"
            ).status_code
            for name in ("ana", "nobody-here")
        }
        assert answers == ({403} if role in STAFF else {401} if role == "visitor" else {404}), role
