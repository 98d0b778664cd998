"""The terms of a licence (COM-1, COM-6): what a proposal offers and a grant records.

Scope has three dimensions, each a set of codes from a closed list: product categories, territories and sales
channels. "All" in a dimension is stored expanded to every code, so that two grants overlap exactly when, for
some work, their terms overlap in time and their sets intersect in all three dimensions (the register's rule,
"so you don't grant the same rights to two companies").
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

# A proposal's term may start at most this far ahead and last at most this long: beyond that a "term" is a
# typo or a transfer of rights in disguise, which the platform does not broker (the creator keeps ownership).
MAX_START_AHEAD = timedelta(days=5 * 366)
MAX_TERM = timedelta(days=30 * 366)
MAX_AMOUNT = Decimal("999999999999.99")  # CNY, 14 digits with 2 decimals, as stored


class Kind(models.TextChoices):
    IP_LICENCE = "ip_licence", gettext_lazy("IP licence")
    CO_BRANDING = "co_branding", gettext_lazy("Brand co-branding")
    PRODUCTION = "production", gettext_lazy("Product production")
    EXCLUSIVE = "exclusive", gettext_lazy("Exclusive licence")


class FeeModel(models.TextChoices):
    FLAT = "flat", gettext_lazy("Flat fee")
    ROYALTY = "royalty", gettext_lazy("Royalty")
    GUARANTEE_ROYALTY = "guarantee_royalty", gettext_lazy("Minimum guarantee plus royalty")


class ProductCategory(models.TextChoices):
    APPAREL = "apparel", gettext_lazy("Apparel")
    ACCESSORIES = "accessories", gettext_lazy("Bags and accessories")
    HOMEWARE = "homeware", gettext_lazy("Homeware")
    STATIONERY = "stationery", gettext_lazy("Stationery")
    TOYS = "toys", gettext_lazy("Toys and collectibles")
    PUBLISHING = "publishing", gettext_lazy("Books and printed matter")
    DIGITAL = "digital", gettext_lazy("Digital goods and games")
    FOOD = "food", gettext_lazy("Food, drink and packaging")
    ADVERTISING = "advertising", gettext_lazy("Advertising and campaigns")
    OTHER = "other", gettext_lazy("Other products")


class Territory(models.TextChoices):
    MAINLAND = "cn", gettext_lazy("Mainland China")
    HONG_KONG = "hk", gettext_lazy("Hong Kong SAR")
    MACAO = "mo", gettext_lazy("Macao SAR")
    TAIWAN = "tw", gettext_lazy("Taiwan region")
    JAPAN_KOREA = "jpkr", gettext_lazy("Japan and Korea")
    SOUTHEAST_ASIA = "sea", gettext_lazy("Southeast Asia")
    EUROPE = "eu", gettext_lazy("Europe")
    AMERICAS = "am", gettext_lazy("The Americas")
    REST = "rest", gettext_lazy("Rest of the world")


class Channel(models.TextChoices):
    ONLINE = "online", gettext_lazy("Online shops")
    RETAIL = "retail", gettext_lazy("Physical retail")
    WHOLESALE = "wholesale", gettext_lazy("Wholesale and distribution")
    EVENTS = "events", gettext_lazy("Exhibitions and events")
    MEDIA = "media", gettext_lazy("Advertising and media")


ALL = "all"  # accepted in any scope dimension: every code of that dimension
DIMENSIONS: dict[str, type[models.TextChoices]] = {
    "product_categories": ProductCategory,
    "territories": Territory,
    "channels": Channel,
}


@dataclass(frozen=True)
class Terms:
    """One proposal's terms, validated. Scope lists are expanded ("all" -> every code) and sorted."""

    kind: str
    intended_use: str
    product_categories: tuple[str, ...]
    territories: tuple[str, ...]
    channels: tuple[str, ...]
    starts_on: date
    ends_on: date
    fee_model: str
    flat_fee: Decimal | None = None
    royalty_percent: Decimal | None = None
    minimum_guarantee: Decimal | None = None

    @property
    def exclusive(self) -> bool:
        return self.kind == Kind.EXCLUSIVE

    def as_fields(self) -> dict[str, Any]:
        values = asdict(self)
        for name in DIMENSIONS:
            values[name] = list(values[name])
        return values


def _scope(name: str, raw: Any, errors: dict[str, list[str]]) -> tuple[str, ...]:
    choices = DIMENSIONS[name]
    values = [raw] if isinstance(raw, str) else list(raw or [])
    if not values:
        errors[name] = [_("Choose at least one.")]
        return ()
    if ALL in values:
        return tuple(sorted(choices.values))
    unknown = sorted({str(v) for v in values} - set(choices.values))
    if unknown:
        errors[name] = [
            _("Unknown value %(values)s. Choose from: %(choices)s, or “all”.")
            % {"values": ", ".join(unknown), "choices": ", ".join(choices.values)}
        ]
        return ()
    return tuple(sorted(set(values)))


def _amount(name: str, raw: Any, errors: dict[str, list[str]], *, percent: bool = False) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number, such as 12000 or 8.5.")]
        return None
    if not value.is_finite():
        errors[name] = [_("Enter a number, such as 12000 or 8.5.")]
        return None
    if value <= 0:
        errors[name] = [_("Enter an amount greater than zero.")]
        return None
    if percent and value > 100:
        errors[name] = [_("A royalty cannot exceed 100%.")]
        return None
    if value > MAX_AMOUNT:
        errors[name] = [_("Enter at most %(max)s.") % {"max": MAX_AMOUNT}]
        return None
    # Only now, within range: quantizing "1e999999999" raises InvalidOperation (a server error before).
    if value != value.quantize(Decimal("0.01")):
        errors[name] = [_("Use at most two decimal places.")]
        return None
    return value


def _date(name: str, raw: Any, errors: dict[str, list[str]]) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


FEE_FIELDS = {
    FeeModel.FLAT: ("flat_fee",),
    FeeModel.ROYALTY: ("royalty_percent",),
    FeeModel.GUARANTEE_ROYALTY: ("minimum_guarantee", "royalty_percent"),
}
FEE_LABELS = {
    "flat_fee": gettext_lazy("Flat fee (CNY)"),
    "royalty_percent": gettext_lazy("Royalty (%)"),
    "minimum_guarantee": gettext_lazy("Minimum guarantee (CNY)"),
}


def terms_parse(data: dict[str, Any], *, today: date) -> tuple[Terms | None, dict[str, list[str]]]:
    """Terms from a form or API body, or the errors field by field (COM-1: out-of-range terms are refused)."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of licence.")]
    use = str(data.get("intended_use") or "").strip()
    if not use:
        errors["intended_use"] = [_("Say what the work would be used for.")]
    elif len(use) > 2000:
        errors["intended_use"] = [_("Keep it under 2000 characters.")]
    scopes = {name: _scope(name, data.get(name), errors) for name in DIMENSIONS}
    starts_on = _date("starts_on", data.get("starts_on"), errors)
    ends_on = _date("ends_on", data.get("ends_on"), errors)
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = [_("The term must end on or after its start.")]
        elif ends_on - starts_on > MAX_TERM:
            errors["ends_on"] = [_("A term lasts at most 30 years.")]
        if starts_on < today:
            errors["starts_on"] = [_("The term cannot start in the past.")]
        elif starts_on - today > MAX_START_AHEAD:
            errors["starts_on"] = [_("The term must start within five years.")]
    fee_model = data.get("fee_model")
    amounts = {
        name: _amount(name, data.get(name), errors, percent=name == "royalty_percent") for name in FEE_LABELS
    }
    if fee_model not in FeeModel.values:
        errors["fee_model"] = [_("Choose how the fee is paid.")]
    else:
        needed = FEE_FIELDS[FeeModel(fee_model)]
        for name in FEE_LABELS:
            if name in needed and amounts[name] is None and name not in errors:
                errors[name] = [_("This fee model needs this amount.")]
            elif name not in needed:
                amounts[name] = None  # a leftover of another fee model is ignored, not stored
    if errors or starts_on is None or ends_on is None:
        return None, errors
    return Terms(
        kind=str(kind),
        intended_use=use,
        starts_on=starts_on,
        ends_on=ends_on,
        fee_model=str(fee_model),
        product_categories=scopes["product_categories"],
        territories=scopes["territories"],
        channels=scopes["channels"],
        flat_fee=amounts["flat_fee"],
        royalty_percent=amounts["royalty_percent"],
        minimum_guarantee=amounts["minimum_guarantee"],
    ), {}


def _labels(choices: type[models.TextChoices], codes: tuple[str, ...] | list[str]) -> str:
    if set(codes) == set(choices.values):
        return _("All")
    names = dict(choices.choices)
    return pgettext("list separator", ", ").join(str(names.get(code, code)) for code in codes)


def scope_labels(scope: dict[str, Any]) -> dict[str, str]:
    """Each scope dimension as words in the reader's language ("All" when it covers every code)."""
    return {name: _labels(choices, scope[name]) for name, choices in DIMENSIONS.items()}


def terms_lines(terms: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every term, in the reader's language: for pages, the deal summary and the diff."""
    scope = scope_labels(terms)
    lines = [
        (_("Kind"), str(dict(Kind.choices).get(terms["kind"], terms["kind"]))),
        (_("Intended use"), terms["intended_use"]),
        (_("Product categories"), scope["product_categories"]),
        (_("Territory"), scope["territories"]),
        (_("Channels"), scope["channels"]),
        (pgettext("licence terms", "Term"), f"{terms['starts_on']} – {terms['ends_on']}"),
        (_("Fee model"), str(dict(FeeModel.choices).get(terms["fee_model"], terms["fee_model"]))),
    ]
    for name, label in FEE_LABELS.items():
        if terms.get(name) is not None:
            lines.append((str(label), str(terms[name])))
    return lines


def terms_text(terms: dict[str, Any]) -> str:
    """The terms as lines of text: what the agreements diff compares between two proposals (COM-2)."""
    return "\n".join(f"{label}: {value}" for label, value in terms_lines(terms))


def scopes_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two sets of terms cover some same right: overlapping days and a shared code in every dimension."""
    if a["starts_on"] > b["ends_on"] or b["starts_on"] > a["ends_on"]:
        return False
    return all(set(a[name]) & set(b[name]) for name in DIMENSIONS)
