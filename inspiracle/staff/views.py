"""The staff console (UX-3): agreements, the audit log, roles and verification, organization certificates,
registration information, protected names, works and the screening list."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from inspiracle.accounts import security
from inspiracle.accounts import services as account_services
from inspiracle.accounts.models import ProtectedName, User
from inspiracle.accounts.permissions import (
    AGREEMENTS_PUBLISH,
    AUDIT_READ,
    NAMES_MANAGE,
    PII_READ,
    ROLES_MANAGE,
    SIGNIN_LOCKS_CLEAR,
    STAFF_CONSOLE,
    has_capability,
    require_capability,
)
from inspiracle.agreements.selectors import version_list_for_public, versions_in_force
from inspiracle.agreements.services import version_publish
from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import DOCUMENT_CSP, private_document_response
from inspiracle.core.views import add_errors
from inspiracle.moderation.services import review_approve
from inspiracle.staff import forms
from inspiracle.staff.selectors import (
    access_certificate_for_staff,
    access_note_subject_for_staff,
    access_organization_for_review,
    access_user_for_staff,
    certificate_list_for_review,
    verification_queue_for_staff,
    work_list_for_staff,
)
from inspiracle.staff.services import audit_log_open, dashboard_counts, note_add, note_list, user_search
from inspiracle.works.models import ScreeningTerm, Work
from inspiracle.works.screening import screening_term_add, screening_term_remove

MARKDOWN_MAX_BYTES = 400_000


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
def dashboard(request):
    return render(request, "staff/dashboard.html", {"counts": dashboard_counts(request.user)})


def _markdown_text(upload, pasted: str) -> str:
    if upload is None:
        return pasted
    raw = upload.read(MARKDOWN_MAX_BYTES + 1)
    if len(raw) > MARKDOWN_MAX_BYTES:
        raise ApplicationError(_("The Markdown file is larger than 400 KB."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            _("The Markdown file is not UTF-8 text. Save it as UTF-8 and upload again.")
        ) from None


@login_required
def agreements(request):
    require_capability(request.user, AGREEMENTS_PUBLISH)
    form = forms.PublishForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = version_publish(
                actor=request.user,
                document=data["document"],
                text_zh=_markdown_text(data["file_zh"], data["text_zh"]),
                text_en=_markdown_text(data["file_en"], data["text_en"]),
                effective_date=data["effective_date"],
                requires_reacceptance=data["requires_reacceptance"],
                summary_zh=data["summary_zh"],
                summary_en=data["summary_en"],
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Published %(label)s, in force from %(date)s.")
                % {"label": version.label, "date": version.effective_date},
            )
            return redirect("staff:agreements")
    in_force = {v.pk for v in versions_in_force()}
    agreements = cast(ModelChoiceField, form.fields["document"]).queryset
    assert agreements is not None  # given where the form declares the field
    documents = [(d, version_list_for_public(d.slug)) for d in agreements]
    return render(
        request, "staff/agreements.html", {"form": form, "documents": documents, "in_force": in_force}
    )


@login_required
def audit(request):
    """AUD-1: the audit log, filtered by action, actor, target and days."""
    require_capability(request.user, AUDIT_READ)
    form = forms.AuditFilterForm(request.GET)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            events = audit_log_open(
                request.user,
                action=data["action"].strip(),
                actor=data["actor"].strip(),
                target=data["target"].strip(),
                since=data["since"],
                until=data["until"],
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/audit.html",
        {"page": page, "form": form, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@login_required
def users(request):
    """Accounts by username or display name; by exact e-mail or mobile for roles that may read personal
    information (the search is audited). Without a query: the staff accounts."""
    require_capability(request.user, STAFF_CONSOLE)
    # Moderators may not look accounts up by personal data (MOD-7): only the name search is offered.
    form = forms.UserSearchForm(request.GET or None, personal=has_capability(request.user, PII_READ))
    found: list[User] = []
    searched = False
    if form.is_bound and form.is_valid():
        by = form.cleaned_data["by"] or "name"
        searched = bool(form.cleaned_data["q"].strip())
        try:
            found = user_search(request.user, query=form.cleaned_data["q"], by=by)
        except ApplicationError as exc:
            add_errors(form, exc)
    elif not form.is_bound:
        found = user_search(request.user, query="")
    return render(
        request,
        "staff/users.html",
        {"users": found, "form": form, "searched": searched},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request, username):
    require_capability(request.user, STAFF_CONSOLE)
    user = get_object_or_404(User, username=username)
    role_form = forms.RoleForm(
        request.POST if "role_submit" in request.POST else None, initial={"role": user.staff_role}
    )
    verify_form = forms.VerifyForm(
        request.POST if "verify_submit" in request.POST else None, initial={"verified": user.is_verified}
    )
    try:
        if role_form.is_bound and role_form.is_valid():
            account_services.role_set(
                actor=request.user,
                user=user,
                role=role_form.cleaned_data["role"],
                reason=role_form.cleaned_data["reason"],
            )
            messages.success(request, _("Role saved."))
            return redirect("staff:user", username=user.username)
        if verify_form.is_bound and verify_form.is_valid():
            account_services.account_verify(
                actor=request.user,
                user=user,
                verified=verify_form.cleaned_data["verified"],
                reason=verify_form.cleaned_data["reason"],
            )
            messages.success(request, _("Verification saved."))
            return redirect("staff:user", username=user.username)
    except ApplicationError as exc:
        add_errors(role_form if role_form.is_bound else verify_form, exc)
    return render(
        request,
        "staff/user.html",
        {
            "subject": user,
            "role_form": role_form,
            "verify_form": verify_form,
            "can_roles": has_capability(request.user, ROLES_MANAGE),
            "certificate": user.certificates.newest() if user.is_organization else None,
            "notes": note_list(request.user, user),
            "note_form": forms.note_form_for(request, subject=f"user:{user.username}"),
            "signin_locks": (
                security.signin_locks_count(actor=request.user, user=user)
                if has_capability(request.user, SIGNIN_LOCKS_CLEAR)
                else None
            ),
        },
    )


@login_required
@require_POST
def user_signin_locks_clear(request, username):
    """REG-4: lift an account's sign-in slow-downs and lockouts from every network (audited)."""
    subject = access_user_for_staff(request.user, username, SIGNIN_LOCKS_CLEAR)
    cleared = security.signin_locks_clear(
        actor=request.user, user=subject, reason=request.POST.get("reason", "")
    )
    messages.success(
        request,
        ngettext(
            "Sign-in locks lifted for %(n)d network.", "Sign-in locks lifted for %(n)d networks.", cleared
        )
        % {"n": cleared},
    )
    return redirect("staff:user", username=subject.username)


NOTE_PAGES = {"user": "staff:user", "work": "moderation:item", "report": "reports_staff:report"}


@login_required
@require_POST
def note_create(request, kind, key):
    """Append an internal note to a user, work or report, then return to its staff page."""
    subject = access_note_subject_for_staff(request.user, kind, key)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(actor=request.user, subject=subject, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Note added."))
    if form.errors:
        # The page shows the errors at the form, with the text as typed (forms.note_form_for).
        forms.note_draft_keep(request, subject=f"{kind}:{key}", form=form)
        messages.error(request, _("The note was not added; correct it below."))
    return redirect(reverse(NOTE_PAGES[kind], args=[key]) + "#notes")


@login_required
@require_GET
def user_registration(request, username):
    """MOD-7, MOD-8: registration information, for the roles that may read it; each opening is audited."""
    subject = access_user_for_staff(request.user, username, PII_READ)
    registration = account_services.registration_open(actor=request.user, user=subject)
    return render(request, "staff/registration.html", {"subject": subject, "registration": registration})


@login_required
def verification(request):
    """REG-5: organizations waiting for their certificate scan to be reviewed, the longest waiting first."""
    page = Paginator(verification_queue_for_staff(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "staff/verification.html", {"page": page})


@login_required
def verification_review(request, username):
    """REG-5, ACC-2: the organization's scans, the newest shown inline, and the decision on it."""
    organization = access_organization_for_review(request.user, username)
    form = forms.CertificateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        certificate = access_certificate_for_staff(request.user, username, data["certificate"])
        try:
            account_services.certificate_review(
                actor=request.user,
                certificate=certificate,
                accept=data["decision"] == "accept",
                reason=data["reason"],
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Decided: @%(name)s.") % {"name": organization.username})
            return redirect("staff:verification")
    # The registered name and address, to compare with the scan: read (and audited) only once allowed.
    registration = account_services.registration_open(
        actor=request.user, user=organization, fields=("legal_name", "mailing_address")
    )
    certificates = certificate_list_for_review(organization)
    context = {
        "organization": organization,
        "registration": registration,
        "certificates": certificates,
        "form": form,
    }
    return render(request, "staff/verification_review.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
@xframe_options_sameorigin
@csp_override(DOCUMENT_CSP)
def certificate_file(request, username, certificate_id):
    """MOD-7, MOD-8: the decrypted scan, to the roles that may read identity documents; audited."""
    certificate = access_certificate_for_staff(request.user, username, certificate_id)
    data = account_services.certificate_open(actor=request.user, certificate=certificate)
    stem = f"certificate-{certificate.user.username}-{certificate.pk}"
    return private_document_response(data, content_type=certificate.content_type, stem=stem, inline=True)


@login_required
def names(request):
    require_capability(request.user, NAMES_MANAGE)
    form = forms.NameForm(request.POST if "add" in request.POST else None)
    if "remove" in request.POST:
        protected = get_object_or_404(ProtectedName, pk=_posted_id(request, "remove"))
        account_services.protected_name_remove(actor=request.user, protected=protected)
        messages.success(request, _("'%(name)s' is no longer protected.") % {"name": protected.name})
        return redirect("staff:names")
    if form.is_bound and form.is_valid():
        try:
            account_services.protected_name_add(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            return redirect("staff:names")
    return render(
        request, "staff/names.html", {"form": form, "names": ProtectedName.objects.order_by("name")}
    )


@login_required
def works(request):
    """Works by state, oldest first: until the review queue exists, staff publish from here (WRK-3)."""
    require_capability(request.user, STAFF_CONSOLE)
    status = request.GET.get("status") or Work.Status.AWAITING_REVIEW
    page = Paginator(work_list_for_staff(status=status), 50).get_page(request.GET.get("page"))
    return render(
        request, "staff/works.html", {"page": page, "status": status, "statuses": Work.Status.choices}
    )


@login_required
@require_POST
def work_publish(request, work_id):
    require_capability(request.user, STAFF_CONSOLE)
    work = get_object_or_404(Work, pk=work_id)
    revision = request.POST.get("revision", "")
    try:
        review_approve(actor=request.user, work=work, revision=int(revision) if revision.isdigit() else None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("'%(title)s' is published.") % {"title": work.title})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "staff:works"
    return redirect(back)


@login_required
def screening(request):
    """MOD-3: the terms that flag a title or description for the reviewer."""
    require_capability(request.user, STAFF_CONSOLE)
    form = forms.ScreeningTermForm(request.POST if "add" in request.POST else None)
    if "remove" in request.POST:
        term = get_object_or_404(ScreeningTerm, pk=_posted_id(request, "remove"))
        screening_term_remove(actor=request.user, term=term)
        messages.success(request, _("'%(term)s' is no longer screened.") % {"term": term.term})
        return redirect("staff:screening")
    if form.is_bound and form.is_valid():
        try:
            screening_term_add(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            return redirect("staff:screening")
    return render(request, "staff/screening.html", {"form": form, "terms": ScreeningTerm.objects.all()})
