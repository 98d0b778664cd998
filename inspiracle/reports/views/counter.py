"""RPT-8 for the uploader: what an upheld report said about their content (never who filed it), the measure,
and the counter-notice asking for restoration, then its state and outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors
from inspiracle.pipeline.documents import read_uploads
from inspiracle.reports import selectors
from inspiracle.reports.forms import CounterNoticeForm
from inspiracle.reports.models import Evidence
from inspiracle.reports.permissions import access_item_for_uploader
from inspiracle.reports.services import counter_notice_file


@login_required
def counter(request, item_id):
    item = access_item_for_uploader(request.user, item_id)
    form = CounterNoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = read_uploads([Evidence.Kind.COUNTER], lambda _kind: form.cleaned_data["files"])
        try:
            counter_notice_file(
                uploader=request.user, item=item, explanation=form.cleaned_data["explanation"], files=files
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your counter-notice is sent. Staff will decide and tell you."))
            return redirect("reports:counter", item.pk)
    context = {**selectors.counter_detail_for_uploader(item), "form": form}
    return render(request, "reports/counter.html", context, status=400 if form.errors else 200)
