"""Staff moderation of accounts: sanctions (MOD-5), strikes and appeals (MOD-6)."""

from django.http import Http404


def account(request, **kwargs):
    raise Http404


sanction_lift = strike_resolve = appeals = appeal = account
