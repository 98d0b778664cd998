"""The work page's repost panel (WRK-12). Works sits below reposts and never imports it: its detail template
loads this library, so the dependency points from reposts to works only (an inclusion tag, not a context
variable the works view would have to compute)."""

from django import template

from inspiracle.reposts.selectors import permission_list_active_for_work
from inspiracle.reposts.services import repost_refusal
from inspiracle.works.models import Work

register = template.Library()


@register.inclusion_tag("reposts/_work_panel.html", takes_context=True)
def work_reposts(context, work: Work) -> dict:
    user = context["request"].user
    owner = user.is_authenticated and user.pk == work.owner_id
    return {
        "work": work,
        "permissions": permission_list_active_for_work(work),
        "owner": owner,
        # Anyone but the owner may ask, signed in or not (a visitor proves an e-mail address first).
        "offer": not owner and repost_refusal(work) is None,
    }
