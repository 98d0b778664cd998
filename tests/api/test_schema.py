"""The OpenAPI document tells the truth about the API (UX-2): one class per schema name, every error answer
documented with the one error body, the token scheme declared, upload fields listed."""

import typing
from collections import defaultdict
from enum import Enum

import pytest
from django.test import Client
from pydantic import BaseModel

from config.api import api
from inspiracle.core.schemas import ErrorBody, ErrorOut


def reachable_classes() -> set[type]:
    """Every pydantic model and enum an operation's parameters or answers refer to, however deep."""
    seen: set[type] = set()

    def visit(annotation) -> None:
        for arg in typing.get_args(annotation):
            visit(arg)
        if not isinstance(annotation, type) or annotation in seen:
            return
        if issubclass(annotation, BaseModel):
            seen.add(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
        elif issubclass(annotation, Enum):
            seen.add(annotation)

    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    visit(model)
    return seen | {ErrorOut, ErrorBody}


@pytest.fixture(scope="module")
def document() -> dict:
    return api.get_openapi_schema()


def test_every_schema_name_in_the_document_belongs_to_exactly_one_class(document):
    """REQ: UX-2. Three ProfileOut and three MessageOut classes once shared a name: the document then showed
    one of them for all, and 12 operations were documented with the wrong answer."""
    classes = defaultdict(set)
    for cls in reachable_classes():
        classes[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    names = document["components"]["schemas"]
    shared = {name: sorted(classes[name]) for name in names if len(classes[name]) != 1}
    assert shared == {}


def test_every_error_answer_is_documented_with_the_one_error_body(document):
    """REQ: UX-2"""
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            answers = operation["responses"]
            for status, answer in answers.items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == error, (method, path, status)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in answers or 422 in answers, (method, path)
            if operation.get("security"):
                assert 401 in answers, (method, path)


def test_the_token_scheme_is_declared_so_the_docs_page_offers_to_authorize(document, db):
    """REQ: UX-2"""
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert document["paths"]["/api/me"]["get"]["security"] == [{"bearerAuth": []}]
    # A visitor may read the gallery without a token; one that is sent must be valid.
    assert document["paths"]["/api/works/public"]["get"]["security"] == [{"bearerAuth": []}, {}]
    assert "security" not in document["paths"]["/api/agreements"]["get"]
    served = Client().get("/api/openapi.json").json()
    assert served["components"]["securitySchemes"] == document["components"]["securitySchemes"]


@pytest.mark.parametrize(
    ("method", "path", "fields"),
    [
        ("post", "/api/auth/register", {"certificate"}),
        ("post", "/api/works", {"files"}),
        ("post", "/api/works/{work_id}/files", {"files"}),
        ("post", "/api/me/avatar", {"avatar"}),
        ("post", "/api/me/certificate", {"certificate"}),
        ("post", "/api/reports", {"identity", "certificate", "authorization", "proof", "falsity"}),
        (
            "post",
            "/api/reports/{reference}",
            {"identity", "certificate", "authorization", "proof", "falsity"},
        ),
        ("post", "/api/reports/profiles", {"identity", "certificate", "proof"}),
        ("post", "/api/reports/notices/{item_id}/counter", {"files"}),
    ],
)
def test_upload_fields_appear_in_the_document_as_multipart_files(document, method, path, fields):
    """REQ: UX-2, WRK-1"""
    operation = document["paths"][path][method]
    assert not [p for p in operation["parameters"] if p["name"] in fields]  # never in the query string
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    for name in fields:
        described = body[name].get("items", body[name])
        assert described == {"type": "string", "format": "binary"} or described.get("format") == "binary"
