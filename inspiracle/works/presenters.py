"""How a work's rights are put into words, the same on the page and in the API (WRK-5, WRK-6, WRK-11)."""

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inspiracle.works.models import AIUse, Work

EXCLUSIVE_MARK = "Exclusive License, No Reposting"


def _credit(request, work: Work) -> tuple[str, str]:
    """The author's name and the original's address, as both attributions give them."""
    name = work.owner.profile.display_name or work.owner.username
    return name, request.build_absolute_uri(reverse("works:detail", args=[work.pk]))


def attribution(request, work: Work) -> str:
    """WRK-5: author's name first, then the work and the link to the original, then the source."""
    name, url = _credit(request, work)
    return _("%(author)s, “%(title)s”, %(url)s. Source: Inspiracle") % {
        "author": name,
        "title": work.shown_title,
        "url": url,
    }


def attribution_html(request, work: Work) -> str:
    """WRK-5 as HTML to paste where the work is reposted: the same order and words as ``attribution``, in the
    reader's language, the title linking to the original. Safe HTML: the page shows it escaped, as code."""
    name, url = _credit(request, work)
    link = format_html('<a href="{}">{}</a>', url, work.shown_title)
    # The sentence is ours (a translation) and both values are escaped: the whole is safe.
    sentence = _("%(author)s, “%(title)s”. Source: Inspiracle") % {"author": escape(name), "title": link}
    return format_html("<p>{}</p>", mark_safe(sentence))  # noqa: S308


def exclusive_mark(work: Work) -> str | None:
    """WRK-6: shown in both languages, because the mark's English wording is what licences refer to."""
    if not work.is_exclusive:
        return None
    return f"{_('Exclusive licence, no reposting')} ({EXCLUSIVE_MARK})"


def licensing_offer(user, work: Work, *, owner: bool) -> str:
    """COM-1: what the work page offers its reader: "ask" (the request form), "sign_in", or nothing (the owner,
    staff, a work that is not public or not open to licensing). The licensing services check everything again."""
    if owner or work.status != Work.Status.PUBLISHED or not work.open_to_licensing:
        return ""
    if not user.is_authenticated:
        return "sign_in"
    return "" if user.is_staff else "ask"


def ai_label(work: Work) -> str | None:
    """WRK-11: AI works carry a visible label."""
    if work.ai_use == AIUse.NONE:
        return None
    return str(work.get_ai_use_display())
