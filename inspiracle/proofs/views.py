"""Proof of creation in the web pages (WRK-10): a work's certificates for its owner (and staff who handle
reports), each as the JSON that ``verify-proof`` checks and as a page to print; the public keys."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inspiracle.core.errors import NotFound
from inspiracle.proofs.pdf import certificate_pdf
from inspiracle.proofs.permissions import access_work_for_certificate
from inspiracle.proofs.selectors import public_key_list, work_file_proofs
from inspiracle.proofs.services import certificate_for_work
from inspiracle.works.models import Work


@require_GET
def certificates(request, work_id):
    work = access_work_for_certificate(request.user, work_id)
    context = {"work": work, "proofs": work_file_proofs(work)}
    return render(request, "proofs/certificates.html", context)


@require_GET
def certificate_download(request, work_id, file_id, kind):
    work = access_work_for_certificate(request.user, work_id)
    found = _certificate(work, file_id)
    if kind == "pdf":
        name = work.files.filter(pk=file_id).values_list("original_name", flat=True).first() or ""
        body, content_type = certificate_pdf(work=work, certificate=found, file_name=name), "application/pdf"
    else:
        body, content_type = json.dumps(found, indent=2).encode() + b"\n", "application/json"
    response = HttpResponse(body, content_type=content_type)
    # Named by ids only: no titles or names in a file name.
    response["Content-Disposition"] = f'attachment; filename="proof-{work.pk}-{file_id}.{kind}"'
    add_never_cache_headers(response)
    return response


@require_GET
def public_keys(request):
    return render(request, "proofs/keys.html", {"keys": public_key_list()})


def _certificate(work: Work, file_id: int) -> dict:
    found = certificate_for_work(work_id=work.pk, file_id=file_id)
    if found is None:
        raise NotFound(_("This file has no certificate yet: it follows once the file is in the proof log."))
    return found
