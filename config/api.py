"""The JSON API (UX-2): one NinjaAPI, one router per app, OpenAPI at /api/openapi.json."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from inspiracle.accounts.api import router as accounts_router
from inspiracle.accounts.api_auth import SessionOrToken
from inspiracle.agreements.api import router as agreements_router
from inspiracle.core.api import ApiParser, InspiracleAPI, validation_message
from inspiracle.core.crypto import DecryptionError
from inspiracle.core.errors import ApplicationError, api_error_body, busy_from
from inspiracle.core.uploads import upload_problem
from inspiracle.core.views import with_retry_after
from inspiracle.disclosure.api import router as disclosure_router
from inspiracle.exports.api import router as exports_router
from inspiracle.licensing.api import router as licensing_router
from inspiracle.messaging.api.staff import router as messaging_staff_router
from inspiracle.messaging.api.threads import router as messaging_router
from inspiracle.moderation.api.review import router as moderation_router
from inspiracle.moderation.api.staff import router as moderation_staff_router
from inspiracle.moderation.api.standing import router as standing_router
from inspiracle.notifications.api import router as notifications_router
from inspiracle.payments.api import router as payments_router
from inspiracle.privacy.api import router as privacy_router
from inspiracle.privacy.api import staff_router as privacy_staff_router
from inspiracle.proofs.api import router as proofs_router
from inspiracle.reports.api.public import router as reports_router
from inspiracle.reports.api.staff import router as reports_staff_router
from inspiracle.reports.api.transparency import transparency_router
from inspiracle.reposts.api import router as reposts_router
from inspiracle.shop.api.public import router as shop_router
from inspiracle.shop.api.staff import router as shop_staff_router
from inspiracle.shop.api.studio import router as shop_studio_router
from inspiracle.staff.api.console import router as staff_console_router
from inspiracle.staff.api.users import router as staff_users_router
from inspiracle.staff.api.works import router as staff_works_router
from inspiracle.works.api import router as works_router

api = InspiracleAPI(
    title="Inspiracle API",
    version="1",
    description="Everything a person can do in the web pages. Authenticate with a personal access token "
    "(`Authorization: Bearer insp_...`, created under Account > API tokens or POST /api/auth/tokens).",
    auth=SessionOrToken(),
    urls_namespace="api",
    parser=ApiParser(),
)
api.add_router("/", agreements_router)
api.add_router("/", accounts_router)
api.add_router("/staff", staff_console_router)
api.add_router("/staff", staff_users_router)
api.add_router("/staff", staff_works_router)
api.add_router("/", works_router)
api.add_router("/", notifications_router)
api.add_router("/staff", moderation_router)
api.add_router("/staff", moderation_staff_router)
api.add_router("/", standing_router)
# Before the reports router: its GET /reports/{reference} would take /reports/transparency.
api.add_router("/", transparency_router)
api.add_router("/", reports_router)
api.add_router("/staff", reports_staff_router)
api.add_router("/", licensing_router)
api.add_router("/", reposts_router)
api.add_router("/", messaging_router)
api.add_router("/staff", messaging_staff_router)
api.add_router("/", proofs_router)
api.add_router("/", shop_router)
api.add_router("/", shop_studio_router)
api.add_router("/staff", shop_staff_router)
api.add_router("/staff", disclosure_router)
api.add_router("/", payments_router)
api.add_router("/", exports_router)
api.add_router("/", privacy_router)
api.add_router("/staff", privacy_staff_router)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return with_retry_after(api.create_response(request, {"error": exc.as_dict()}, status=exc.status), exc)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = list(error.get("loc", []))
        if len(loc) > 2 and loc[0] == "body":
            del loc[1]  # the endpoint's parameter name ("data"): fields are named as the client sent them
        location = [str(part) for part in loc if part not in ("body", "form", "query", "payload")]
        fields.setdefault(".".join(location) or "request", []).append(validation_message(error))
    message = _("Some fields are missing or invalid; see 'fields' for each one.")
    return api.create_response(
        request, {"error": {"code": "invalid", "message": message, "fields": fields}}, status=422
    )


@api.exception_handler(MultiPartParserError)
def bad_upload(request, exc: MultiPartParserError):
    return api.create_response(request, api_error_body("bad_upload", upload_problem(exc)), status=400)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    message = _("Sign in, or send a personal access token as 'Authorization: Bearer <token>'.")
    return api.create_response(
        request, {"error": {"code": "unauthenticated", "message": message, "fields": {}}}, status=401
    )


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def too_much(request, exc):
    message = _(
        "The request is too large: at most %(fields)d fields, %(files)d files and %(mb)d MB of form data "
        "besides the files. Send less."
    ) % {
        "fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        "files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_000_000,
    }
    return api.create_response(
        request, {"error": {"code": "too_large", "message": message, "fields": {}}}, status=400
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ValidationError):  # refused while parsing the body (core.api.ApiParser)
        return validation_error(request, exc.__cause__)
    message = str(exc)
    if message == "Cannot parse request body":
        message = _("The request body is not valid JSON (or not the form data this endpoint expects).")
    return api.create_response(
        request, {"error": {"code": "bad_request", "message": message, "fields": {}}}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    # PRV-3: the same answer whether a thing is missing or not the caller's to see.
    message = _("Not found: check the address and the id.")
    return api.create_response(
        request, {"error": {"code": "not_found", "message": message, "fields": {}}}, status=404
    )


@api.exception_handler(DataError)
def value_out_of_range(request, exc: DataError):
    """The database refused a value the schema let through (PostgreSQL checks lengths and ranges that SQLite
    does not). Services write in one transaction, so nothing of it was kept. Logged, so the schema can be
    tightened where it happened."""
    logging.getLogger("inspiracle.api").warning(
        "%s %s: database refused a value: %s", request.method, request.path, exc
    )
    message = _(
        "A value is longer or larger than can be stored. Shorten it, or check the numbers, and send it again."
    )
    return api.create_response(request, api_error_body("invalid", message), status=400)


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """Whatever else went wrong: still JSON on a JSON endpoint, never the HTML error page. Logged with its
    traceback; the client learns nothing of the internals. A database lock that outlasted its wait is a 503
    with Retry-After: nothing was written, and trying again works."""
    busy = busy_from(exc)
    if busy is not None:
        logging.getLogger("inspiracle.api").warning("%s %s: database busy", request.method, request.path)
        return application_error(request, busy)
    logging.getLogger("inspiracle.api").error(
        "%s %s failed", request.method, request.path, exc_info=(type(exc), exc, exc.__traceback__)
    )
    if isinstance(exc, DecryptionError):
        message = _("Stored information could not be decrypted; the problem has been logged.")
    else:
        message = _("Something went wrong on our side; it has been logged. Try again later.")
    return api.create_response(request, api_error_body("server_error", message), status=500)
