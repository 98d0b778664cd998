"""How a work's rights are put into words, the same on the page and in the API (WRK-5, WRK-6, WRK-11)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from inspiracle.works.models import AIUse, Work

EXCLUSIVE_MARK = "Exclusive License, No Reposting"


def attribution(request, work: Work) -> str:
    """WRK-5: author's name first, then the work and the link to the original, then the source."""
    name = work.owner.profile.display_name or work.owner.username
    url = request.build_absolute_uri(reverse("works:detail", args=[work.pk]))
    return _("%(author)s, “%(title)s”, %(url)s. Source: Inspiracle") % {
        "author": name,
        "title": work.shown_title,
        "url": url,
    }


def exclusive_mark(work: Work) -> str | None:
    """WRK-6: shown in both languages, because the mark's English wording is what licences refer to."""
    if not work.is_exclusive:
        return None
    return f"{_('Exclusive licence, no reposting')} ({EXCLUSIVE_MARK})"


def ai_label(work: Work) -> str | None:
    """WRK-11: AI works carry a visible label."""
    if work.ai_use == AIUse.NONE:
        return None
    return str(work.get_ai_use_display())
