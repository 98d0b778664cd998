from django.http import Http404


def _placeholder(request, **kwargs):
    raise Http404


page = _placeholder
