from django import template

from inspiracle.core.useragents import agent_parse

register = template.Library()


@register.filter
def browser_label(user_agent: str) -> str:
    """ "Chrome 120 on Windows" for a User-Agent string (the page keeps the raw one in a title to hover)."""
    return agent_parse(user_agent).label() if user_agent else ""
