"""``{% load audit_labels %}``: ``{{ event.action|action_label }}``, ``{{ event|audit_details }}`` and
``{{ event|audit_target }}``."""

from django import template

from inspiracle.audit.labels import action_label as _action_label
from inspiracle.audit.labels import details_text, target_text

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)


@register.filter
def audit_details(event) -> str:
    return details_text(event)


@register.filter
def audit_target(event) -> str:
    return target_text(event)
