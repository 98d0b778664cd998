from django.http import Http404


def _placeholder(request, **kwargs):
    raise Http404


queue = evidence = counter_notices = counter_notice = profiles = profile = reporter = report = _placeholder
