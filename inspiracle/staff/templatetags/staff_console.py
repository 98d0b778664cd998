"""Template helpers for the staff console."""

from django import template

from inspiracle.accounts import permissions

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """``{% if user|can:"accounts.verify" %}``: show a link only to roles that may follow it (MOD-7)."""
    if capability not in {c for caps in permissions.CAPABILITIES.values() for c in caps}:
        # A mistyped name would hide a link silently; fail loudly in development and tests instead.
        raise template.TemplateSyntaxError(f"unknown capability {capability!r}")
    return permissions.has_capability(user, capability)
