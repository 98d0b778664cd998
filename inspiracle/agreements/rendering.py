import re

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Agreement texts name the operator's details by placeholder, so the shipped texts fit every install and a
# changed setting reaches every version on the next page view (RPT-12: the contact address is configuration).
# The stored text keeps the placeholder; what a reader sees (page, API, diff, email) is filled.
PLACEHOLDERS = {"contact_email": lambda: settings.CONTACT_EMAIL}
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_placeholders(text: str) -> str:
    """Replace each known ``{name}`` with its setting; anything else in braces is left as written."""
    return PLACEHOLDER_RE.sub(
        lambda m: PLACEHOLDERS[m.group(1)]() if m.group(1) in PLACEHOLDERS else m.group(0), text
    )


def unknown_placeholders(text: str) -> list[str]:
    """The ``{name}`` placeholders in ``text`` that nothing fills: a typo would reach readers verbatim."""
    return sorted({m.group(0) for m in PLACEHOLDER_RE.finditer(text) if m.group(1) not in PLACEHOLDERS})


def unknown_placeholders_message(found: list[str]) -> str:
    return _("%(found)s is not a placeholder the platform fills; the ones it fills are: %(known)s.") % {
        "found": ", ".join(found),
        "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
    }


def render_markdown(text: str) -> SafeString:
    """Agreement Markdown to HTML, sanitized: even staff-authored text never carries script into a page."""
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    return mark_safe(nh3.clean(html))  # noqa: S308 - sanitized by nh3 just above
