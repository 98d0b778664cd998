"""A user's own standing and appeals (MOD-5, MOD-6)."""

from django.http import Http404


def standing(request):
    raise Http404


appeal_new = appeal = blocked = standing
