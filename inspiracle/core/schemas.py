"""Types the whole JSON API shares: ids, fields that may be left out but not sent empty, the one error body."""

from enum import Enum
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

# A database id: what a signed 64-bit primary key can hold. Anything else is refused (422 naming the field)
# before it reaches a query, where SQLite would overflow and PostgreSQL would refuse the comparison.
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _no_null_default(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class PatchIn(Schema):
    """A partial update: a field left out keeps its value; a field that is sent needs a value of its type, so
    ``null`` is refused (422 naming the field) instead of clearing something or reaching a NOT NULL column.
    Declare fields as ``name: str = left_out()`` and read them with ``dict(exclude_unset=True)``."""

    model_config = ConfigDict(json_schema_extra=_no_null_default)


def left_out() -> Any:
    """The default of a PatchIn field, ``Field(None)``: typed Any, since the field's own type has no None."""
    return Field(None)


class ErrorBody(Schema):
    code: str = Field(
        description="What went wrong, for programs: invalid, not_found, forbidden, throttled, …"
    )
    message: str = Field(description="What went wrong and what to do, for people (in the request's language)")
    fields: dict[str, list[str]] = Field(description="Each field that was wrong, with its own messages")
    # Codes may carry more keys (``ApplicationError.extra``, at this level): documented here as they appear.
    conflicts: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Only with licence_conflict (409): each licence in the way, as either party may see it: "
        "deal, work, work_title, holder, exclusive, product_categories, territories, channels, starts_on, "
        "ends_on (never its fee or intended use)",
    )

    model_config = ConfigDict(extra="allow")


class ErrorOut(Schema):
    """Every refusal and error of the API has this shape, whatever its status."""

    error: ErrorBody


def inline_choices(choices: type[Enum]) -> WithJsonSchema:
    """For a Django choices class in an API schema: ``Annotated[Decision.Kind, inline_choices(Decision.Kind)]``
    documents its values in place. As a component it would be named by its class name alone, and "Kind" or
    "Status" of one model would overwrite another's in the OpenAPI document."""
    return WithJsonSchema({"type": "string", "enum": [member.value for member in choices]})
