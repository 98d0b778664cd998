from typing import cast

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import ApiToken, Profile, User
from inspiracle.accounts.services import PROFILE_FIELDS


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Account type"), choices=User.Kind.choices, widget=forms.RadioSelect, initial=User.Kind.PERSON
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=30,
        help_text=_("2-30 lowercase letters, digits or underscores; shown in your profile address."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters, not a common password."),
    )
    legal_name = forms.CharField(
        label=_("Real name or organization name"),
        max_length=100,
        help_text=_("Your legal name, or your organization's registered name. Never shown publicly."),
    )
    mailing_address = forms.CharField(
        label=_("Mailing address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_("Mainland China numbers as they are; others with +country code."),
    )
    landline = forms.CharField(label=_("Landline (optional)"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Needed to reset a forgotten password by email. We send a link to it to confirm it."),
    )
    certificate = forms.FileField(
        label=_("Registration certificate scan (organizations)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
    )
    age_attested = forms.BooleanField(label=_("I am at least 18 years old."), required=False)


class SigninForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=30)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RegistrationInfoForm(forms.Form):
    legal_name = forms.CharField(label=_("Real name or organization name"), max_length=100)
    mailing_address = forms.CharField(
        label=_("Mailing address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    mobile = forms.CharField(label=_("Mobile phone"), max_length=30)
    landline = forms.CharField(label=_("Landline (optional)"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("A new address is saved when you open the link we send to it."),
    )


class CertificateForm(forms.Form):
    certificate = forms.FileField(
        label=_("New scan of the registration certificate"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB. It goes to staff for review."),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = list(PROFILE_FIELDS)
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class AvatarForm(forms.Form):
    avatar = forms.FileField(label=_("New avatar"), help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB."))


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class PasswordResetForm(forms.Form):
    email = forms.EmailField(label=_("Email address of your account"))


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class TotpDisableForm(forms.Form):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    code = forms.CharField(label=_("Code from your app, or a recovery code"), max_length=20)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60)
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiToken.Scope.READ, ApiToken.Scope.WRITE],
    )
    expires_in_days = forms.IntegerField(label=_("Expires after (days)"), min_value=1)
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput,
        help_text=_(
            "A new token needs your password, so that nobody else who holds your session can make one."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.API_TOKEN_DEFAULT_DAYS
        self.fields["expires_in_days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        self.fields["expires_in_days"].help_text = _("At most %(max)d days.") % {
            "max": settings.API_TOKEN_MAX_DAYS
        }
        self.fields["expires_in_days"].validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        if not user.is_staff:
            cast(forms.MultipleChoiceField, self.fields["scopes"]).choices = [
                choice for choice in ApiToken.Scope.choices if choice[0] != ApiToken.Scope.STAFF
            ]
