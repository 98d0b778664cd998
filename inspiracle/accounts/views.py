"""Account pages: register, sign in, the signed-in user's own settings, public profiles."""

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from inspiracle.accounts import forms, security, services
from inspiracle.accounts import tokens as tokens_service
from inspiracle.accounts.models import TotpDevice, User
from inspiracle.accounts.password_reset import (
    password_reset_confirm,
    password_reset_request,
    password_reset_user,
)
from inspiracle.accounts.selectors import (
    public_profile_get,
    session_list_for_user,
    token_list_for_user,
)
from inspiracle.agreements.gate import consent_required
from inspiracle.agreements.selectors import consent_list_for_user, gate_status, required_versions_in_force
from inspiracle.core.errors import ApplicationError
from inspiracle.core.privacy import no_store
from inspiracle.core.views import add_errors, form_page
from inspiracle.standing import blocked_pass_for

PENDING_2FA = "signin_pending_user"


@no_store  # a form shown again holds the name, address and phone typed into it
def register(request):
    versions = required_versions_in_force()
    form = forms.RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "decline" in request.POST:
        return redirect("accounts:register-declined")
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("certificate")
        try:
            user = services.user_register(
                data=services.RegistrationData(
                    username=data["username"],
                    password=data["password"],
                    kind=data["kind"],
                    legal_name=data["legal_name"],
                    mailing_address=data["mailing_address"],
                    mobile=data["mobile"],
                    landline=data["landline"],
                    email=data["email"],
                    language=get_language() or "zh-hans",
                ),
                accepted=request.POST.getlist("accept"),
                age_attested=data["age_attested"],
                certificate=upload.read(settings.CERTIFICATE_MAX_BYTES + 1) if upload else None,
            )
        except ApplicationError as exc:
            refusal = exc
            add_errors(form, exc)
        else:
            login(request, user)
            security.signin_completed(user, method="registration")
            messages.success(request, _("Welcome to Inspiracle! Your account is ready."))
            _tell_confirmation_sent(request, data["email"], user.registration.email)
            return redirect("accounts:me")
    accepted = set(request.POST.getlist("accept"))
    context = {"form": form, "versions": versions, "accepted": accepted}
    return form_page(request, "accounts/register.html", context, refusal)


def _tell_confirmation_sent(request, typed: str, saved: str) -> None:
    """The same words whether or not another account has the address (its owner is told instead)."""
    if typed and typed.lower() != saved.lower():
        messages.info(
            request,
            _(
                "We sent a link to %(email)s: the address is added to your account when you open it "
                "(within 3 days)."
            )
            % {"email": typed},
        )


def email_confirm(request, token):
    """The link mailed to a new address: a page with a button, so that mail scanners opening links do not
    confirm anything; the button confirms."""
    refusal = None
    if request.method == "POST":
        try:
            services.email_confirm(token=token)
        except ApplicationError as exc:
            refusal = exc
        else:
            messages.success(request, _("Your email address is confirmed and added to your account."))
            return redirect("accounts:me" if request.user.is_authenticated else "accounts:signin")
    return form_page(
        request, "accounts/email_confirm.html", {"refusal": refusal}, refusal, status=400 if refusal else 200
    )


def register_declined(request):
    return render(request, "accounts/register_declined.html")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def signin(request):
    form = forms.SigninForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            user = security.check_password_signin(
                request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ApplicationError as exc:
            if exc.code == "sanctioned":  # MOD-5/6: no sign-in, but the way to the appeal
                return redirect("standing:blocked", token=blocked_pass_for(exc.extra["sanction"]))
            refusal = exc
            add_errors(form, exc)
        else:
            if security.totp_enabled(user):
                request.session[PENDING_2FA] = user.pk
                return redirect(f"{reverse('accounts:signin-totp')}?next={_next_url(request)}")
            login(request, user)
            security.signin_completed(user, method="password")
            return HttpResponseRedirect(_next_url(request))
    return form_page(request, "accounts/signin.html", {"form": form, "next": _next_url(request)}, refusal)


def signin_totp(request):
    user = User.objects.filter(pk=request.session.get(PENDING_2FA), is_active=True).first()
    if user is None:
        return redirect("accounts:signin")
    form = forms.CodeForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            method = security.totp_signin_check(user=user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            if exc.code == "sanctioned":
                del request.session[PENDING_2FA]
                return redirect("standing:blocked", token=blocked_pass_for(exc.extra["sanction"]))
            refusal = exc
            add_errors(form, exc)
        else:
            del request.session[PENDING_2FA]
            login(request, user)
            security.signin_completed(user, method=method)
            return HttpResponseRedirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return form_page(request, "accounts/signin_totp.html", context, refusal)


@require_POST
def signout(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("home")


def password_reset(request):
    form = forms.PasswordResetForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request(email=form.cleaned_data["email"])
        except ApplicationError as exc:
            refusal = exc
            add_errors(form, exc)
        else:
            return render(request, "accounts/password_reset_sent.html")
    return form_page(request, "accounts/password_reset.html", {"form": form}, refusal)


def password_reset_confirm_view(request, uidb64, token):
    valid = password_reset_user(uidb64, token) is not None
    form = forms.NewPasswordForm(request.POST or None)
    if valid and request.method == "POST" and form.is_valid():
        try:
            password_reset_confirm(uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password"])
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your password is changed. Sign in with the new one."))
            return redirect("accounts:signin")
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "valid": valid})


@login_required
def me(request):
    return render(
        request,
        "accounts/me.html",
        {
            "gate": gate_status(request.user),
            "two_factor": security.totp_enabled(request.user),
        },
    )


def _registration_form(user, data=None) -> forms.RegistrationInfoForm:
    info = user.registration
    return forms.RegistrationInfoForm(
        data, initial={f: getattr(info, f) for f in services.REGISTRATION_FIELDS}
    )


def _registration_page(request, form, certificate_form, *, status: int = 200):
    context = {
        "form": form,
        "certificate_form": certificate_form,
        # REG-5: an organization sees where its verification stands (the newest scan decides).
        "certificate": request.user.certificates.newest() if request.user.is_organization else None,
    }
    return render(request, "accounts/registration.html", context, status=status)


@login_required
def registration(request):
    form = _registration_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            info = services.registration_update(user=request.user, changes=form.cleaned_data)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your registration information is saved."))
            _tell_confirmation_sent(request, form.cleaned_data.get("email", ""), info.email)
            return redirect("accounts:registration")
    return _registration_page(request, form, forms.CertificateForm())


@require_POST
@login_required
def certificate(request):
    """REG-5: an organization uploads a new certificate scan; it goes (back) to the staff's queue."""
    form = forms.CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = form.cleaned_data["certificate"]
            services.certificate_add(user=request.user, data=upload.read(settings.CERTIFICATE_MAX_BYTES + 1))
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The new scan is stored; staff will review it."))
            return redirect(reverse("accounts:registration") + "#verification")
    return _registration_page(request, _registration_form(request.user), form, status=400)


@consent_required
@login_required
def profile_edit(request):
    profile = request.user.profile
    form = (
        forms.ProfileForm(request.POST or None, instance=profile)
        if request.method == "POST"
        else forms.ProfileForm(instance=profile)
    )
    avatar_form = forms.AvatarForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, changes=dict(form.cleaned_data))
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile-edit")
    return render(request, "accounts/profile_edit.html", {"form": form, "avatar_form": avatar_form})


@require_POST
@login_required
def avatar(request):
    form = forms.AvatarForm(request.POST, request.FILES)
    if "remove" in request.POST:
        services.avatar_set(user=request.user, data=None)
        messages.success(request, _("Your avatar is removed."))
        return redirect("accounts:profile-edit")
    if form.is_valid():
        try:
            services.avatar_set(
                user=request.user, data=form.cleaned_data["avatar"].read(settings.AVATAR_MAX_BYTES + 1)
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your avatar is saved."))
            return redirect("accounts:profile-edit")
    request.user.profile.refresh_from_db()
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": forms.ProfileForm(instance=request.user.profile), "avatar_form": form},
        status=400,
    )


@login_required
def sessions(request):
    if request.method == "POST":
        count = security.sessions_revoke_others(user=request.user, current_key=request.session.session_key)
        message = ngettext(
            "Signed out %(count)d other session.", "Signed out %(count)d other sessions.", count
        )
        messages.success(request, message % {"count": count})
        return redirect("accounts:sessions")
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": session_list_for_user(request.user),
            "current": request.session.session_key,
        },
    )


@require_POST
@login_required
def session_revoke(request, ref):
    try:
        security.session_revoke(user=request.user, ref=ref)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("That session is signed out."))
    return redirect("accounts:sessions")


@login_required
def password_change(request):
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            security.password_change(
                user=request.user,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["new_password"],
                keep_session_key=request.session.session_key,
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed; your other sessions are signed out."))
            return redirect("accounts:me")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def totp(request):
    user = request.user
    context = {
        "enabled": security.totp_enabled(user),
        "code_form": forms.CodeForm(),
        "disable_form": forms.TotpDisableForm(),
    }
    action = request.POST.get("action")
    try:
        if action == "begin":
            security.totp_begin(user=user)
            return redirect("accounts:totp")
        if action == "confirm":
            context["code_form"] = forms.CodeForm(request.POST)
            codes = security.totp_confirm(user=user, code=request.POST.get("code", ""))
            return render(
                request, "accounts/totp.html", {**context, "enabled": True, "recovery_codes": codes}
            )
        if action == "disable":
            context["disable_form"] = forms.TotpDisableForm(request.POST)
            security.totp_disable(
                user=user, password=request.POST.get("password", ""), code=request.POST.get("code", "")
            )
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:totp")
    except ApplicationError as exc:
        add_errors(context["disable_form"] if action == "disable" else context["code_form"], exc)
    pending = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if pending is not None and not context["enabled"]:
        uri = pyotp.TOTP(pending.secret).provisioning_uri(name=user.username, issuer_name="Inspiracle")
        context.update(pending=pending, qr_svg=segno.make(uri).svg_inline(scale=4), otpauth_uri=uri)
    return render(request, "accounts/totp.html", context)


@login_required
@no_store  # shows a new token once
def tokens(request):
    form = forms.TokenForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = tokens_service.token_create(user=request.user, **form.cleaned_data)
            form = forms.TokenForm(user=request.user)
        except ApplicationError as exc:
            add_errors(form, exc)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "created": created, "tokens": token_list_for_user(request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def token_revoke(request, token_id):
    try:
        tokens_service.token_revoke(user=request.user, token_id=token_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token is revoked; scripts using it stop working now."))
    return redirect("accounts:tokens")


@login_required
def consents(request):
    return render(request, "accounts/consents.html", {"consents": consent_list_for_user(request.user)})


def profile_public(request, username):
    return render(request, "accounts/profile.html", {"profile": public_profile_get(username)})


def language_switch(request):
    """The header's language switch: Django's ``set_language`` (the cookie, for this browser), and for a
    signed-in user the account's language too, so that e-mails and notices follow the pages."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        services.language_set(user=request.user, language=language)
    return response
