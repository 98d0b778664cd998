"""Money on the shop's pages: amounts are integer fen (COM-5), shown in yuan as ``{{ 1230|fen }}`` → ¥12.30."""

from django import template

register = template.Library()


def fen_text(amount: int) -> str:
    """¥ and yuan with two decimals, thousands grouped; integer arithmetic only (never floats)."""
    sign = "-" if amount < 0 else ""
    yuan, fen = divmod(abs(amount), 100)
    return f"{sign}¥{yuan:,}.{fen:02d}"


@register.filter
def fen(value: object) -> str:
    """Anything that is not a whole number of fen shows as nothing rather than a wrong price."""
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    return fen_text(value)
