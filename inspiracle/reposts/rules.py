"""What a repost request may say (WRK-12): the site's address, the term, and how hosts are read out of a
report's text. Pure functions: no database, so services, forms and the report match share them."""

import calendar
import re
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from inspiracle.reposts.models import MAX_MONTHS, URL_MAX

_url = URLValidator(schemes=["http", "https"])
# A host as people write it in prose: "example.com", "https://blog.example.com/x", "www.example.cn".
HOST_IN_TEXT = re.compile(
    r"(?<![\w.@-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})\b", re.I
)


def host_key(host: str) -> str:
    """The form hosts are compared in: lower case, no trailing dot, no "www." (the same site to a reader)."""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def site_parse(raw: str) -> tuple[str, str]:
    """(the address as kept, its host key) of the page or site where the work would be reposted, or a
    ValidationError saying what is wrong: only http(s) addresses of a named host, at most URL_MAX long."""
    value = (raw or "").replace("\x00", "").strip()
    if not value:
        raise ValidationError(_("Give the address of the site or page, like https://example.com/blog/."))
    if len(value) > URL_MAX:
        raise ValidationError(
            _("The address is %(n)d characters long; at most %(max)d are allowed.")
            % {"n": len(value), "max": URL_MAX}
        )
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            _(
                "Only web addresses starting with http:// or https:// can be given, like https://example.com/blog/."
            )
        )
    try:
        _url(value)
    except ValidationError:
        raise ValidationError(
            _("“%(url)s” is not a web address. Copy it from the browser's address bar.")
            % {"url": value[:100]}
        ) from None
    host = parts.hostname or ""
    if not HOST_IN_TEXT.fullmatch(host):
        raise ValidationError(_("Give the site's name (like example.com), not a numeric address."))
    return value, host_key(host)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(*, today: date, ends_on: date | None, months: int | None) -> date:
    """The last day of the term: an end date, or a number of months from today; between tomorrow and
    MAX_MONTHS months from today. A ValidationError says which bound was crossed."""
    latest = add_months(today, MAX_MONTHS)
    if ends_on is None and months is None:
        raise ValidationError(_("Give an end date or a term in months."))
    if ends_on is not None and months is not None:
        raise ValidationError(_("Give an end date or a term in months, not both."))
    if months is not None:
        if not 1 <= months <= MAX_MONTHS:
            raise ValidationError(
                _("A term runs from 1 to %(max)d months; %(n)d is not allowed.")
                % {"max": MAX_MONTHS, "n": months}
            )
        return add_months(today, months)
    assert ends_on is not None
    if ends_on <= today:
        raise ValidationError(_("The end date must be after today."))
    if ends_on > latest:
        raise ValidationError(
            _("A permission runs at most %(max)d months: choose an end date on or before %(latest)s.")
            % {"max": MAX_MONTHS, "latest": latest.isoformat()}
        )
    return ends_on


def hosts_named(texts: list[str]) -> set[str]:
    """Every host key a text names, with its parent domains (a report naming img.blog.example.com also names
    blog.example.com and example.com), never a bare top-level domain."""
    found: set[str] = set()
    for text in texts:
        for match in HOST_IN_TEXT.finditer(text or ""):
            labels = host_key(match.group(1)).split(".")
            found.update(".".join(labels[i:]) for i in range(len(labels) - 1))
    return found
