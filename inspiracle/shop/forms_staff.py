"""The forms of the shop's staff pages: a review decision, order operations, the catalogue. Amounts are typed in
yuan (two decimals) and handed to the services in fen."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inspiracle.reasons import CHOICES
from inspiracle.shop.art import TEMPLATE_SIZE
from inspiracle.shop.models import Order
from inspiracle.shop.services.catalogue import MAX_DPI, MAX_PRINT_MM, VariantDraft

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STEPS = [("produce", _("Start production")), ("ship", _("Mark shipped")), ("deliver", _("Mark delivered"))]


def to_fen(yuan: Decimal) -> int:
    return int(yuan * 100)


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan_field(label: "StrOrPromise", *, least: str = "0.01") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(least),
        max_value=Decimal(settings.SHOP_MAX_PRICE_FEN) / 100,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *CHOICES])
    message = forms.CharField(
        label=_("Message to the maker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what to change so that a new product can be approved."),
    )


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # Orders awaiting payment are the buyer's business: operations never see them (selectors).
        choices=[
            ("", _("All")),
            *[(v, label) for v, label in Order.Status.choices if v != Order.Status.PLACED],
        ],
    )


class AdvanceForm(forms.Form):
    step = forms.ChoiceField(choices=STEPS, widget=forms.HiddenInput)
    tracking = forms.CharField(label=_("Tracking number"), required=False, max_length=60)


class AddressForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need the address"),
        max_length=200,
        help_text=_("Kept in the audit log with your name, like every reading of personal information."),
    )


class ProductTypeForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60)
    min_margin = yuan_field(_("Minimum margin (¥)"), least="0")
    active = forms.BooleanField(
        label=_("Offered on the product form"),
        required=False,
        help_text=_(
            "Products already made of this type stay in the shop; a new minimum applies to new products."
        ),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name_en": data["name_en"],
            "name_zh": data["name_zh"],
            "min_margin_fen": to_fen(data["min_margin"]),
            "active": data["active"],
        }


class VariantAddForm(forms.Form):
    size = forms.CharField(label=_("Size"), max_length=20, required=False)
    colour = forms.CharField(
        label=_("Colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"}), initial="#ffffff"
    )
    colour_name_en = forms.CharField(label=_("Colour name (English)"), max_length=30)
    colour_name_zh = forms.CharField(label=_("Colour name (Chinese)"), max_length=30)
    base_cost = yuan_field(_("Base cost (¥)"))

    def draft(self) -> VariantDraft:
        data = self.cleaned_data
        return VariantDraft(
            size=data["size"],
            colour=data["colour"],
            colour_name_en=data["colour_name_en"],
            colour_name_zh=data["colour_name_zh"],
            base_cost_fen=to_fen(data["base_cost"]),
        )


class VariantCostForm(forms.Form):
    base_cost = yuan_field(_("Base cost (¥)"))


class PrintAreaForm(forms.Form):
    box_x = forms.IntegerField(label=_("Box left (px)"), min_value=0, max_value=TEMPLATE_SIZE)
    box_y = forms.IntegerField(label=_("Box top (px)"), min_value=0, max_value=TEMPLATE_SIZE)
    box_w = forms.IntegerField(label=_("Box width (px)"), min_value=1, max_value=TEMPLATE_SIZE)
    box_h = forms.IntegerField(label=_("Box height (px)"), min_value=1, max_value=TEMPLATE_SIZE)
    width_mm = forms.IntegerField(label=_("Print width (mm)"), min_value=1, max_value=MAX_PRINT_MM)
    height_mm = forms.IntegerField(label=_("Print height (mm)"), min_value=1, max_value=MAX_PRINT_MM)
    dpi = forms.IntegerField(label=_("Resolution (dpi)"), min_value=1, max_value=MAX_DPI)
