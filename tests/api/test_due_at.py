"""Deadlines have one format in the whole API (issue 15): ``due_at`` is an ISO 8601 date and time with its
time zone wherever it appears, in the document and in the answers."""

import re

from config.api import api

ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def due_fields(node, path=""):
    """(where, schema) of every property named due_at (or ending in _due_at) in the OpenAPI document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, schema in value.items():
                    if name == "due_at" or name.endswith("_due_at"):
                        yield f"{path}.{name}", schema
            yield from due_fields(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from due_fields(value, f"{path}[{index}]")


def is_date_time(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    kinds = {(o.get("type"), o.get("format")) for o in options}
    return ("string", "date-time") in kinds and kinds <= {("string", "date-time"), ("null", None)}


def test_every_due_at_in_the_document_is_a_date_time():
    document = api.get_openapi_schema()
    fields = dict(due_fields(document["components"]["schemas"]))
    assert len(fields) >= 3  # reports (reporter and staff) and the account's cancellation
    assert {where: schema for where, schema in fields.items() if not is_date_time(schema)} == {}
