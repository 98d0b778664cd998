"""The report form (RPT-1..RPT-5) in steps shown as fieldsets, only those the chosen category needs; the
addresses as rows; one file input per kind of document. Every field is optional here: the service says
exactly what a report still lacks, and the reporter can complete it later (RPT-3)."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from inspiracle.core.errors import ApplicationError
from inspiracle.core.forms import MultipleFileField
from inspiracle.core.views import add_errors
from inspiracle.licensing.terms import FEE_LABELS, Channel, FeeModel, Kind, ProductCategory, Territory
from inspiracle.pipeline.documents import Upload, read_uploads
from inspiracle.proofs.citation import MAX_BYTES
from inspiracle.reports.checks import PROOF_CATEGORIES
from inspiracle.reports.models import Category, Evidence, IpKind, PartyKind, Report, ReportItem
from inspiracle.reports.services.intake import DECLARATIONS, MAX_ITEMS, ReportInput
from inspiracle.reports.services.licences import OFFER_FIELD

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROWS = 5


def uploads(cleaned: dict, kinds) -> list[Upload]:
    return read_uploads(kinds, cleaned.get)


DOCUMENT_HELP: "dict[str, StrOrPromise]" = {
    Evidence.Kind.IDENTITY: _("For a person: a copy of the ID card or passport (PDF, JPEG or PNG)."),
    Evidence.Kind.CERTIFICATE: _("For an organization: its registration certificate (PDF, JPEG or PNG)."),
    Evidence.Kind.AUTHORIZATION: _("Only when you act for the rights holder: their written authorization."),
    Evidence.Kind.PROOF: _(
        "A certificate, a registration, an earlier publication, drafts with dates: what shows the right is yours."
    ),
    Evidence.Kind.FALSITY: _(
        "Documents that show the quoted statements are false (records, decisions, letters)."
    ),
}


def proof_bytes(upload) -> bytes:
    """A cited certificate's bytes, read no further than a certificate can be (the service says so)."""
    return upload.read(MAX_BYTES + 1) if upload else b""


class CategoryForm(forms.Form):
    """Step 1, without JavaScript: the category decides which steps follow."""

    category = forms.ChoiceField(
        label=_("What is the report about?"), choices=Category.choices, widget=forms.RadioSelect
    )
    url = forms.CharField(required=False, widget=forms.HiddenInput)


class ItemForm(forms.Form):
    id = forms.IntegerField(
        required=False, widget=forms.HiddenInput
    )  # an address the draft has: a correction
    url = forms.CharField(label=_("Page address"), required=False, max_length=500)
    content = forms.CharField(label=_("Which content"), required=False, max_length=2000)
    right = forms.CharField(label=_("Which right it infringes"), required=False, max_length=2000)
    statement = forms.CharField(
        label=_("The statement you say is false, quoted exactly"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # RPT-15: only in intellectual property reports by a signed-in rights holder (the offer is a licensing
    # request from their account); a work only, which the service checks.
    remedy = forms.ChoiceField(
        label=_("What you ask for"),
        required=False,
        choices=ReportItem.Remedy.choices,
        initial=ReportItem.Remedy.TAKEDOWN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, category: str = "", licence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if category != Category.DEFAMATION:
            del self.fields["statement"]
        if not licence:
            del self.fields["remedy"]


class LicenceOfferForm(forms.Form):
    """RPT-15: the licence a rights holder offers instead of a takedown, once per report, in the terms of a
    licensing request (COM-1; licensing.terms checks them). Every field optional: no terms, no offer."""

    kind = forms.ChoiceField(
        label=_("Kind of licence"),
        required=False,
        choices=[("", "—"), *[(k, label) for k, label in Kind.choices if k != Kind.EXCLUSIVE]],
    )
    intended_use = forms.CharField(
        label=_("What the uploader may use your right for"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    product_categories = forms.MultipleChoiceField(
        label=_("Product categories"),
        required=False,
        choices=ProductCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.MultipleChoiceField(
        label=_("Territory"), required=False, choices=Territory.choices, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), required=False, choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(
        label=_("Licence starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Licence ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fee_model = forms.ChoiceField(
        label=_("Fee model"), required=False, choices=[("", "—"), *FeeModel.choices]
    )
    flat_fee = forms.CharField(label=FEE_LABELS["flat_fee"], required=False, max_length=20)
    royalty_percent = forms.CharField(label=FEE_LABELS["royalty_percent"], required=False, max_length=20)
    minimum_guarantee = forms.CharField(label=FEE_LABELS["minimum_guarantee"], required=False, max_length=20)

    def offer(self) -> dict:
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
        }


class ReportForm(forms.Form):
    """Everything after the category. ``report`` is the draft being completed; ``profiles`` the reporter's
    usable rights holder profiles; ``member`` whether the reporter has an account (visitors keep the email
    address they proved)."""

    ip_kind = forms.ChoiceField(
        label=_("Which right?"), required=False, choices=IpKind.choices, widget=forms.RadioSelect
    )
    acting = forms.ChoiceField(
        label=_("You are"),
        required=False,
        choices=Report.Acting.choices,
        initial=Report.Acting.HOLDER,
        widget=forms.RadioSelect,
    )
    party_kind = forms.ChoiceField(
        label=_("The rights holder is"),
        required=False,
        choices=PartyKind.choices,
        initial=PartyKind.PERSON,
        widget=forms.RadioSelect,
    )
    profile = forms.TypedChoiceField(
        label=_("Use my verified rights holder profile"), required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(
        label=_("Name of the rights holder"),
        required=False,
        max_length=200,
        help_text=_("A person's real name or the organization's registered name."),
    )
    mailing_address = forms.CharField(label=_("Mailing address"), required=False, max_length=300)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(
        label=_("Contact email for this report"),
        required=False,
        max_length=254,
        help_text=_("Leave empty to use the address of your account."),
    )
    description = forms.CharField(
        label=_("Description of the infringement"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the content is, which right of yours it infringes and how. At most 8,000 characters."
        ),
    )
    identity = MultipleFileField(label=Evidence.Kind.IDENTITY.label, help_text=DOCUMENT_HELP["identity"])
    certificate = MultipleFileField(
        label=Evidence.Kind.CERTIFICATE.label, help_text=DOCUMENT_HELP["certificate"]
    )
    authorization = MultipleFileField(
        label=Evidence.Kind.AUTHORIZATION.label, help_text=DOCUMENT_HELP["authorization"]
    )
    proof = MultipleFileField(label=Evidence.Kind.PROOF.label, help_text=DOCUMENT_HELP["proof"])
    cited_work = forms.CharField(
        label=_("Or cite your work on this platform"),
        required=False,
        max_length=500,
        help_text=_("The address of your own work here, published earlier: its record proves the right."),
    )
    proof_certificate = forms.FileField(
        label=_("Or upload its proof-of-creation certificate (JSON)"),
        required=False,
        help_text=_("The JSON file from your work's “Proof of creation” page: the platform checks it."),
    )
    falsity = MultipleFileField(label=Evidence.Kind.FALSITY.label, help_text=DOCUMENT_HELP["falsity"])
    declared_holder = forms.BooleanField(
        label=_("I am the rights holder, or authorized by the rights holder to report for them."),
        required=False,
    )
    declared_infringes = forms.BooleanField(
        label=_("I believe in good faith that the content infringes the right I name."), required=False
    )
    declared_liability = forms.BooleanField(
        label=_("I understand that I bear legal liability if this report is untrue."), required=False
    )

    max_items = MAX_ITEMS
    FIELDSETS: list[tuple] = [
        (_("What is infringed"), ["ip_kind"]),
        (_("Who reports"), ["acting", "party_kind", "profile", "name", "mailing_address", "phone", "email"]),
        (_("The addresses"), None),
        (_("Description of the infringement"), ["description"]),
        (
            _("Proof"),
            [
                "identity",
                "certificate",
                "authorization",
                "proof",
                "cited_work",
                "proof_certificate",
                "falsity",
            ],
        ),
        (_("Declarations"), ["declared_holder", "declared_infringes", "declared_liability"]),
    ]

    def __init__(
        self,
        data=None,
        files=None,
        *,
        category,
        member: bool,
        profiles=(),
        report=None,
        rows=ROWS,
        url="",
        **kw,
    ):
        super().__init__(data, files, **kw)
        self.category, self.report = category, report
        # A draft's own addresses come first, to be corrected in place; then empty rows for new ones.
        own = [
            {"id": i.pk, "url": i.url, "content": i.content, "right": i.right, "statement": i.statement}
            | {"remedy": i.remedy}
            for i in (report.items.all() if report else [])
        ]
        for name in self._dropped(category, member, profiles, report):
            del self.fields[name]
        if "profile" in self.fields:
            cast(forms.TypedChoiceField, self.fields["profile"]).choices = [
                ("", _("No: I give the details below"))
            ] + [(p.pk, f"{p.name} ({p.get_party_kind_display()})") for p in profiles]
        rows = max(0, min(rows, MAX_ITEMS - len(own)))
        formset = formset_factory(ItemForm, extra=rows, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)
        initial = own or ([{"url": url}] if url and rows else None)
        # RPT-15: a licence instead of a takedown, in IP reports of a signed-in rights holder.
        self.licence = category == Category.IP and member
        self.licence_hint = category == Category.IP and not member
        kwargs = {"category": category, "licence": self.licence}
        self.items = formset(data, prefix="items", initial=initial, form_kwargs=kwargs)
        offer = (report.licence_offer if report else None) or {}
        self.offer = LicenceOfferForm(data, prefix="offer", initial=offer) if self.licence else None

    @staticmethod
    def _dropped(category, member, profiles, report) -> set[str]:
        drop = set()
        if category != Category.IP or (report and report.ip_kind):
            drop.add("ip_kind")
        if category not in PROOF_CATEGORIES:
            drop |= {"proof", "cited_work", "proof_certificate"}
        if category != Category.DEFAMATION:
            drop.add("falsity")
        if not member:
            drop.add("email")
        if not profiles:
            drop.add("profile")
        for name in DECLARATIONS:
            if report and getattr(report, f"{name}_at"):
                drop.add(name)
        return drop

    def fieldsets(self):
        """(legend, bound fields) per step; the addresses' step has None: its rows are ``self.items``."""
        for legend, names in self.FIELDSETS:
            fields = None if names is None else [self[name] for name in names if name in self.fields]
            if fields is None or fields:
                yield legend, fields

    def is_valid(self) -> bool:
        offer_valid = self.offer.is_valid() if self.offer is not None else True
        return super().is_valid() & self.items.is_valid() & offer_valid

    def filled_items(self) -> list[forms.Form]:
        """The rows with anything typed in them (the remedy's radio button is always set, so it does not
        count)."""
        return [
            row
            for row in self.items.forms
            if any(v for k, v in (getattr(row, "cleaned_data", None) or {}).items() if k != "remedy")
        ]

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        text = ("ip_kind", "acting", "party_kind", "name", "mailing_address", "phone", "email", "description")
        texts: dict[str, Any] = {name: data.get(name) or "" for name in text}
        declarations: dict[str, Any] = {name: bool(data.get(name)) for name in DECLARATIONS}
        return ReportInput(
            category="" if self.report else self.category,
            cited_work=data.get("cited_work", ""),
            proof_certificate=proof_bytes(data.get("proof_certificate")),
            profile=data.get("profile"),
            items=[row.cleaned_data for row in self.filled_items()],
            files=uploads(data, Evidence.Kind.values),
            licence_offer=self.offer.offer() if self.offer is not None else None,
            **texts,
            **declarations,
        )

    def add_service_errors(self, exc: ApplicationError) -> None:
        """The service names an address by its place in the report (``items.3.url``), and the rows sent are
        the report's own addresses in order, then the new ones."""
        rows = self.filled_items()
        rest = {}
        for key, messages in exc.fields.items():
            parts = key.split(".")
            index = int(parts[1]) - 1 if len(parts) == 3 and parts[1].isdigit() else -1
            if parts[0] == "items" and 0 <= index < len(rows) and parts[2] in rows[index].fields:
                for message in messages:
                    rows[index].add_error(parts[2], message)
            elif parts[0] == OFFER_FIELD and self.offer is not None:
                term = parts[-1] if parts[-1] in self.offer.fields else None
                for message in messages:
                    self.offer.add_error(term, message)
            else:
                rest[key] = messages
        add_errors(self, ApplicationError(exc.message, fields=rest))


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The six-digit code we sent"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CounterNoticeForm(forms.Form):
    explanation = forms.CharField(
        label=_("Your explanation"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Why the content does not infringe: your own creation, a licence, a permitted use. At most 8,000 "
            "characters."
        ),
    )
    # The form's metaclass moves declared fields into base_fields: this does not replace BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Proof"),
        help_text=_("Drafts, licences, earlier publications: PDF, JPEG or PNG, up to 10 files."),
    )


class RightsProfileForm(forms.Form):
    party_kind = forms.ChoiceField(
        label=_("The rights holder is"),
        choices=PartyKind.choices,
        initial=PartyKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name of the rights holder"),
        max_length=200,
        help_text=_("A person's real name or the organization's registered name."),
    )
    mailing_address = forms.CharField(label=_("Mailing address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.CharField(label=_("Email"), max_length=254)
    rights = forms.CharField(
        label=_("The rights you hold"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: copyright in the “Moon Rabbit” character; trademark No. 12345678 in class 25."
        ),
    )
    identity = MultipleFileField(label=Evidence.Kind.IDENTITY.label, help_text=DOCUMENT_HELP["identity"])
    certificate = MultipleFileField(
        label=Evidence.Kind.CERTIFICATE.label, help_text=DOCUMENT_HELP["certificate"]
    )
    proof = MultipleFileField(label=Evidence.Kind.PROOF.label, help_text=DOCUMENT_HELP["proof"])

    def profile_data(self) -> dict:
        data = dict(self.cleaned_data)
        files = uploads(data, ("identity", "certificate", "proof"))
        for kind in ("identity", "certificate", "proof"):
            data.pop(kind)
        return {**data, "files": files}
