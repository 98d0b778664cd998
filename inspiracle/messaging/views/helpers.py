"""One way for every messaging page to handle a form: bind it (even to an empty POST), call one service with
its cleaned data, and either go on or show the form back with the refusal and the status the API would answer
(429 with Retry-After for a limit)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page


def submit(form: forms.Form, call: Callable[..., Any]) -> tuple[Any, ApplicationError | None]:
    """Bind -> call the service with the cleaned data -> (its result, None), or (None, the refusal) with the
    refusal on the form. An invalid form is a refusal too (400)."""
    if not form.is_valid():
        return None, ApplicationError(_("Correct the fields marked below."))
    try:
        return call(**form.cleaned_data), None
    except ApplicationError as exc:
        add_errors(form, exc)
        return None, exc


def posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to on a POST, even an empty one (an unticked box sends nothing); None (an
    unbound form) otherwise."""
    return request.POST if request.method == "POST" else None


def shown_back(request: HttpRequest, template: str, context: dict, refusal: ApplicationError) -> HttpResponse:
    return form_page(request, template, context, refusal, status=refusal.status)
