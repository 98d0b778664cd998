"""What makes the JSON API's schema true and its input safe, for every endpoint at once.

- ``ApiSchema``: the OpenAPI document documents every operation's error answers (one body shape, ``ErrorOut``)
  and the bearer token scheme, which the docs page turns into an Authorize button.
- ``ApiParser``: text with a NUL character is refused, naming the field, before it reaches the database
  (PostgreSQL cannot store it; a query with it would fail as a server error).
- ``Page`` and ``Rows``: the one shape of every list (``@paginate(Page)``), bounded so that no request asks for
  an unbounded query, and converted row by row after slicing so that a list loads only the page it shows. A list
  that reads the same for every caller (``Shared``) keeps its pages in the cache.
"""

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http.client import responses
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema
from ninja.utils import normalize_path

from inspiracle.core.generations import generation_cached
from inspiracle.core.schemas import ErrorOut

SAFE = {"GET", "HEAD", "OPTIONS"}
UPLOADS = "x-upload-fields"
BEARER = "bearerAuth"
ERROR_REF = {"$ref": REF_TEMPLATE.format(model="ErrorOut")}
ERROR_MEANING = {
    400: "Refused: the message says why and what to do",
    401: "No valid credentials: sign in or send 'Authorization: Bearer <token>'",
    403: "Not allowed: agreements not accepted, a CSRF failure, a sanction or a staff role without the right",
    404: "Not found, or not yours to see",
    409: "Conflicts with the current state (decided already, changed meanwhile, taken by someone else)",
    413: "The request is larger than any upload may be",
    422: "A field is missing, of the wrong type, out of range or null: 'fields' names each one",
    429: "Too many attempts: wait for the time in Retry-After",
}


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    """For an endpoint's ``response=``: error answers it gives beyond the ones every endpoint of its kind
    gives (``ApiSchema`` adds those), e.g. ``response={200: WorkOut, **error_responses(409)}``."""
    return dict.fromkeys(codes, ErrorOut)


def upload_fields(*names: str) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint that reads its files from ``request.FILES`` by name (each may repeat),
    so the document shows them as the multipart fields they are."""
    return {UPLOADS: list(names)}


class ApiSchema(OpenAPISchema):
    """Ninja's OpenAPI document plus, for every operation, the error answers that apply to it by its kind:
    400 (a refusal) for any that changes something or takes a body, 401 where credentials are read, 403 for
    changes (the consent gate, CSRF) and staff areas, 404 where the path names something (and for staff areas,
    which answer "not found" to others), 409 for a signed-in change (the state it acts on may have moved on),
    413 with a body, 422 with any parameter. Others (429, a 401 without credentials) are declared by the
    endpoint with ``error_responses``."""

    def get_paths(self) -> dict[str, Any]:
        # Ninja's own loop, keeping the full path for ``operation_details``.
        result: dict[str, Any] = {}
        for bound_router in self.api._get_bound_routers():
            for path, path_view in bound_router.path_operations.items():
                full_path = "/".join([i for i in (bound_router.prefix, path) if i])
                full_path = re.sub(r"{[^}:]+:", "{", normalize_path("/" + self.path_prefix + full_path))
                self._full_path = full_path
                path_methods = self.methods(path_view.operations)
                if path_methods:
                    result.setdefault(full_path, {}).update(path_methods)
        return result

    def operation_details(self, operation) -> dict[str, Any]:
        result = super().operation_details(operation)
        self._add_uploads(result, result.pop(UPLOADS, []))
        path = self._full_path
        changes = bool(set(operation.methods) - SAFE)
        body = "requestBody" in result
        staff = "/staff/" in path
        authenticated = bool(operation.auth_callbacks)
        codes = set()
        if changes or body:
            codes.add(400)
        if authenticated:
            codes.add(401)
        if authenticated and (changes or staff):
            codes.add(403)
        if "{" in path or staff:
            codes.add(404)
        if authenticated and changes:
            codes.add(409)
        if body:
            codes.add(413)
        if result["parameters"] or body:
            codes.add(422)
        responses_ = result["responses"]
        for code in sorted(codes | {c for c in responses_ if c >= 400}):
            responses_[code] = {
                "description": ERROR_MEANING.get(code, responses.get(code, "")),
                "content": {"application/json": {"schema": ERROR_REF}},
            }
        if authenticated:
            visitor = any(getattr(auth, "visitors_allowed", False) for auth in operation.auth_callbacks)
            # A visitor may call it without credentials; credentials that are sent must be valid.
            result["security"] = [{BEARER: []}, {}] if visitor else [{BEARER: []}]
        else:
            result.pop("security", None)
        return result

    @staticmethod
    def _add_uploads(result: dict[str, Any], names: list[str]) -> None:
        if not names:
            return
        content = result["requestBody"]["content"]
        body = content.pop("application/x-www-form-urlencoded", None) or content.pop("multipart/form-data")
        files = {"type": "array", "items": {"type": "string", "format": "binary"}}
        body["schema"]["properties"].update({name: files for name in names})
        content["multipart/form-data"] = body

    def get_components(self) -> dict[str, Any]:
        schema = ErrorOut.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        self.add_schema_definitions(schema.pop("$defs", {}))
        self.add_schema_definitions({"ErrorOut": schema})
        components = super().get_components()
        components["securitySchemes"] = {
            BEARER: {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token (insp_...), from Account > API tokens or "
                "POST /api/auth/tokens. Browsers may use their signed-in session with its CSRF token instead.",
            }
        }
        return components


PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
# 10,000 pages of 100 reach a million rows deep: beyond any list here, and an OFFSET the databases still answer.
MAX_PAGE = 10_000
PAGINATION = (
    '\n\n**Lists.** Every list answers one shape: `{"items": [...], "count": <rows in the whole list>, '
    '"page": <this page>, "page_size": <rows a page>}`. Ask for a page with `page` (from 1, at most '
    f"{MAX_PAGE:,}) and `page_size` (1 to {MAX_PAGE_SIZE}; each list documents its default, {PAGE_SIZE} unless "
    "it says otherwise); anything outside those bounds is refused with 422. A page past the last one is empty. "
    "Lists show summaries: fetch one item by its id or reference for all of it."
)


@dataclass(frozen=True)
class Shared:
    """Says that a list reads the same for every caller, given ``parts`` (its filters, the site's address when
    its rows carry absolute links): its pages are kept in the cache until one of the generations ``depends_on``
    moves (core/generations.py), so an unchanged page costs one small query. Only for lists whose every change
    bumps one of those generations, and never for a list that depends on who asks."""

    name: str
    depends_on: tuple[str, ...]
    parts: object = ()


@dataclass(frozen=True)
class Rows:
    """What a list endpoint returns to ``Page``: the rows (a queryset, counted and sliced in the database, or a
    short list built in memory) and how one shown row becomes its output. Converting after slicing means a
    page converts (and, through ``page``, loads related rows for) only the rows it shows."""

    source: QuerySet | Sequence
    each: Callable[[Any], Any] | None = None
    page: Callable[[list], Iterable] | None = None  # the whole page at once, when rows share look-ups
    shared: Shared | None = None


class Page(PaginationBase):
    """The one pagination of the API, by page number with a bounded page size (the OpenAPI description says
    it once, ``PAGINATION``). Unlike ninja's ``PageNumberPagination``, a page size above the maximum is
    refused rather than quietly cut, and the answer says which page and size it is."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description="Rows a page; the list's default when left out."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Rows in the whole list, on every page.")
        page: int
        page_size: int

    def __init__(self, *, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: Any, **params: Any
    ) -> dict[str, Any]:
        rows = queryset if isinstance(queryset, Rows) else Rows(queryset)
        size = pagination.page_size or self.page_size
        if rows.shared is None:
            return self._page(rows, pagination.page, size)
        return generation_cached(
            name=f"page:{rows.shared.name}",
            # The language: rows may carry translated words (a masked title says so).
            parts=(get_language(), rows.shared.parts, pagination.page, size),
            depends_on=rows.shared.depends_on,
            compute=lambda: self._page(rows, pagination.page, size),
        )

    def _page(self, rows: Rows, page: int, size: int) -> dict[str, Any]:
        start = (page - 1) * size
        fetched = list(rows.source[start : start + size])
        count = self._count(rows.source, start, fetched, size)
        shown = list(rows.page(fetched)) if rows.page is not None else fetched
        if rows.each is not None:
            shown = [rows.each(row) for row in shown]
        return {"items": shown, "count": count, "page": page, "page_size": size}

    @staticmethod
    def _count(source: QuerySet | Sequence, start: int, fetched: list, size: int) -> int:
        """A short page that is not past the end tells the total without asking; otherwise one COUNT(*), in
        which Django leaves out the ordering and select_related joins."""
        if len(fetched) < size and (fetched or start == 0):
            return start + len(fetched)
        return source.count() if isinstance(source, QuerySet) else len(source)


class InspiracleAPI(NinjaAPI):
    def __init__(self, *, description: str = "", **kwargs: Any) -> None:
        super().__init__(description=description + PAGINATION, **kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ApiSchema(self, path_prefix)


def _nul_fields(value: Any, location: tuple) -> list[tuple]:
    if isinstance(value, str):
        return [location] if "\x00" in value else []
    if isinstance(value, dict):
        found = [location + (key,) for key in value if isinstance(key, str) and "\x00" in key]
        return found + [loc for key, item in value.items() for loc in _nul_fields(item, location + (key,))]
    if isinstance(value, list):
        return [loc for index, item in enumerate(value) for loc in _nul_fields(item, location + (index,))]
    return []


def refuse_nul(value: Any, location: tuple) -> None:
    """Refuse text with a NUL character (422 naming each field): no field of ours may hold one."""
    found = _nul_fields(value, location)
    if found:
        message = _("Text may not contain the NUL character (\\u0000).")
        raise ValidationError([{"loc": loc, "msg": message, "type": "nul_character"} for loc in found])


class ApiParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):  # every JSON body of this API is an object; [null] must not pass as {}
            message = _("The body must be a JSON object with the fields this endpoint documents.")
            raise ValidationError([{"loc": ("body",), "msg": message, "type": "object_type"}])
        refuse_nul(data, ("body", "data"))  # as ninja names body fields: after the parameter's name
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result, ("query",) if data is request.GET else ("form",))
        return result


def _bound(ctx: dict, key: str) -> str:
    return str(ctx.get(key, ""))


def choices_message(choices: Sequence[str]) -> str:
    """What to send instead of a value that is not one of ``choices`` (each as a client writes it: '"en"',
    '3'), as a sentence of the active language: 'Choose "a", "b" or "c".'"""
    if len(choices) == 1:
        return _("The only value accepted here is %(value)s.") % {"value": choices[0]}
    separator = pgettext("list separator", ", ")
    return _("Choose %(choices)s or %(last)s.") % {
        "choices": separator.join(choices[:-1]),
        "last": choices[-1],
    }


def _choice(ctx: dict) -> str:
    """pydantic's ``expected`` ("'a', 'b' or 'c'", "1, 2 or 3") in our words: its English "or" must not reach
    a Chinese client. Our literals and enumerations are codes, none with a comma."""
    expected = _bound(ctx, "expected")
    if not expected:
        return _FORMAT(ctx)
    head, _or, last = expected.rpartition(" or ")
    parts = [*head.split(", "), last] if head else [last]
    return choices_message([f'"{p[1:-1]}"' if len(p) > 1 and p[0] == p[-1] == "'" else p for p in parts])


# Pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in our words, so that a
# refusal reads in the request's language; the keys of ``ctx`` fill the placeholders.
_FORMAT = lambda ctx: _("This value is not in the expected format.")  # noqa: E731
_WHOLE = lambda ctx: _("Enter a whole number.")  # noqa: E731
_NUMBER = lambda ctx: _("Enter a number.")  # noqa: E731
_BOOL = lambda ctx: _("Enter true or false.")  # noqa: E731
_OBJECT = lambda ctx: _("Give an object here.")  # noqa: E731
_DATE = lambda ctx: _("Enter a date as YYYY-MM-DD.")  # noqa: E731
_DATETIME = lambda ctx: _("Enter a date and time in ISO 8601, such as 2026-03-01T09:30:00+08:00.")  # noqa: E731
_URL = lambda ctx: _("Enter a full web address, such as https://example.com/.")  # noqa: E731
VALIDATION_MESSAGES: dict[str, Callable[[dict], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "string_type": lambda ctx: _("Enter text here."),
    "string_too_short": lambda ctx: _("Enter at least %(n)s characters.") % {"n": _bound(ctx, "min_length")},
    "string_too_long": lambda ctx: _("Enter at most %(n)s characters.") % {"n": _bound(ctx, "max_length")},
    "greater_than": lambda ctx: _("Enter a value greater than %(n)s.") % {"n": _bound(ctx, "gt")},
    "greater_than_equal": lambda ctx: _("Enter a value of at least %(n)s.") % {"n": _bound(ctx, "ge")},
    "less_than": lambda ctx: _("Enter a value less than %(n)s.") % {"n": _bound(ctx, "lt")},
    "less_than_equal": lambda ctx: _("Enter a value of at most %(n)s.") % {"n": _bound(ctx, "le")},
    "too_short": lambda ctx: _("Give at least %(n)s items.") % {"n": _bound(ctx, "min_length")},
    "too_long": lambda ctx: _("Give at most %(n)s items.") % {"n": _bound(ctx, "max_length")},
    "list_type": lambda ctx: _("Give a list here."),
    "json_invalid": lambda ctx: _("The request body is not valid JSON."),
    "extra_forbidden": lambda ctx: _("This field is not accepted here."),
    "none_required": lambda ctx: _("Leave this field out."),
    **dict.fromkeys(("string_pattern_mismatch", "uuid_type", "uuid_parsing"), _FORMAT),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), _WHOLE),
    **dict.fromkeys(("float_type", "float_parsing", "decimal_type", "decimal_parsing"), _NUMBER),
    **dict.fromkeys(("bool_type", "bool_parsing"), _BOOL),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), _OBJECT),
    **dict.fromkeys(("literal_error", "enum"), _choice),
    **dict.fromkeys(
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"), _DATE
    ),
    **dict.fromkeys(("datetime_type", "datetime_parsing", "datetime_from_date_parsing"), _DATETIME),
    **dict.fromkeys(("url_parsing", "url_type", "url_scheme"), _URL),
}


def validation_message(error: dict) -> str:
    """One validation error of pydantic (or of ours) as a message in the active language. A ``ValueError``
    raised by a validator of ours carries its own (translated) message; unknown types keep pydantic's."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in VALIDATION_MESSAGES:
        return str(VALIDATION_MESSAGES[kind](ctx))
    if kind in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", ""))
