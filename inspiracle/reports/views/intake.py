from django.http import Http404


def _placeholder(request, **kwargs):
    raise Http404


mine = new = email_proof = profiles = detail = _placeholder
