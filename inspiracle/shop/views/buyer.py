"""The buyer's pages (COM-5): checkout (shipping address, then paying), their orders and an order's page, paying
again after a refusal, cancelling before payment. An order that is not the reader's is "not found".

Card numbers pass through to the provider and nowhere else: never into logs (``sensitive_post_parameters``),
addresses, the session or the database; a refused form does not show the number again.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from inspiracle.agreements.gate import consent_refusal, gate_status_for
from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.payments.providers.test import TEST_CARDS, TestProvider
from inspiracle.payments.registry import provider
from inspiracle.shop.cart_token import cart_adopt_visitor_lines, cart_for
from inspiracle.shop.models import Mockup, Order, OrderLine
from inspiracle.shop.permissions import access_order_for_buyer
from inspiracle.shop.selectors import order_list_for_buyer
from inspiracle.shop.services import orders as services

PAGE_SIZE = 20
CHECKOUT_KEY = "shop_checkout"  # [attempt, order reference] of the last checkout: a second click finds it


class CardInput(forms.TextInput):
    """A card number is typed again after a refusal, never echoed back into the page."""

    def format_value(self, value):
        return None


class PayForm(forms.Form):
    card = forms.CharField(
        label=gettext_lazy("Card number"),
        max_length=40,
        widget=CardInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    attempt = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, collects_card: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not collects_card:
            del self.fields["card"]
        # One token per showing of the form: pressing "pay" twice sends the same one, which the provider
        # treats as one payment; a new try after a refusal gets a new form and so a new token.
        self.fields["attempt"].initial = secrets.token_urlsafe(16)


class CheckoutForm(PayForm):
    name = forms.CharField(label=gettext_lazy("Recipient's name"), max_length=60)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30)
    address = forms.CharField(
        label=gettext_lazy("Delivery address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["name", "phone", "address", "card", "attempt"]

    def address_data(self) -> services.Address:
        return services.Address(**{k: self.cleaned_data[k] for k in ("name", "phone", "address")})


def _payment_context() -> dict:
    gateway = provider()
    # The test cards only mean something to the test provider; a real one that takes cards gets real ones.
    cards = list(TEST_CARDS.items()) if isinstance(gateway, TestProvider) else []
    return {"gateway": gateway, "test_cards": cards}


def _pay(request, order: Order, card: str | None, attempt: str):
    """Pay and go to the order's page, which shows the outcome (a refusal with the provider's reason)."""
    try:
        services.order_pay(buyer=request.user, order=order, card=card, attempt=attempt)
    except ApplicationError as exc:
        if exc.code != "payment_declined":  # a refusal is on the order's page, with the pay form
            (messages.info if exc.code == "invalid_state" else messages.error)(request, exc.message)
    else:
        messages.success(
            request, _("Thank you: order %(reference)s is paid.") % {"reference": order.reference}
        )
    return redirect("shop:order", reference=order.reference)


def _place(request, form: CheckoutForm) -> Order:
    attempt = form.cleaned_data["attempt"]
    known = request.session.get(CHECKOUT_KEY)
    if isinstance(known, list) and len(known) == 2 and known[0] == attempt:  # the same press, again
        return access_order_for_buyer(request.user, known[1])
    order = services.order_place(buyer=request.user, address=form.address_data())
    request.session[CHECKOUT_KEY] = [attempt, order.reference]
    return order


def login_then_consent(view):
    """A visitor is sent to sign in and comes back (``login_required``); a member who has not accepted the
    agreements in force gets the consent gate (REG-3) before typing an address. Not ``consent_required``: the
    gate would answer a visitor with its own page instead of the way to sign in."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        refusal = consent_refusal(request)
        if refusal is not None:
            context = {"refusal": refusal, "missing": gate_status_for(request).missing}
            return render(request, "agreements/gate.html", context, status=refusal.status)
        return view(request, *args, **kwargs)

    return login_required(gated)


@sensitive_post_parameters("card")
@login_then_consent
def checkout(request):
    cart_adopt_visitor_lines(request)
    form = CheckoutForm(request.POST or None, collects_card=provider().collects_card)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            order = _place(request, form)
        except ApplicationError as exc:
            if exc.code == "cart_empty":  # pressed twice: the first press took the cart into an order
                messages.info(request, _("Your cart is empty. If you have just placed an order, it is here."))
                return redirect("shop:orders")
            add_errors(form, exc)
            refusal = exc
        else:
            return _pay(request, order, form.cleaned_data.get("card"), form.cleaned_data["attempt"])
    cart = cart_for(request)
    if not cart.rows and request.method == "GET":
        return redirect("shop:cart")
    context = {"form": form, "cart": cart, "refusal": refusal, **_payment_context()}
    status = refusal.status if refusal else 400 if form.errors else 200
    return form_page(request, "shop/checkout.html", context, refusal, status=status)


@login_required
def order_list(request):
    page = Paginator(order_list_for_buyer(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shop/order_list.html", {"page": page, "query": ""})


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    at: datetime


def order_steps(order: Order) -> list[Step]:
    """Each step the order went through, with its moment, in the order they happen."""
    steps = [Step(s.value, str(s.label), getattr(order, f"{s.value}_at")) for s in Order.Status]
    return sorted((step for step in steps if step.at), key=lambda step: step.at)


@dataclass(frozen=True)
class Line:
    line: OrderLine
    mockup: Mockup | None


def order_lines(order: Order) -> list[Line]:
    """The order's lines, each with the mockup of its colour (two queries, however many lines)."""
    ready = Mockup.objects.filter(status=Mockup.Status.READY).order_by("pk")
    lines = order.lines.select_related("product", "variant").prefetch_related(
        Prefetch("product__mockups", queryset=ready)
    )
    return [
        Line(line, next((m for m in line.product.mockups.all() if m.colour == line.variant.colour), None))
        for line in lines
    ]


@login_required
def order_detail(request, reference):
    order = access_order_for_buyer(request.user, reference)
    placed = order.status == Order.Status.PLACED
    context = {
        "order": order,
        "steps": order_steps(order),
        "lines": order_lines(order),
        "refused": order.payments.exclude(message="").order_by("-pk").first() if placed else None,
        "form": PayForm(collects_card=provider().collects_card) if placed else None,
        **_payment_context(),
    }
    return render(request, "shop/order_detail.html", context)


@sensitive_post_parameters("card")
@require_POST
@login_required
def order_pay(request, reference):
    order = access_order_for_buyer(request.user, reference)
    form = PayForm(request.POST, collects_card=provider().collects_card)
    if not form.is_valid():
        messages.error(request, _("Enter the card number, then press “Pay” again."))
        return redirect("shop:order", reference=order.reference)
    return _pay(request, order, form.cleaned_data.get("card"), form.cleaned_data["attempt"])


@require_POST
@login_required
def order_cancel(request, reference):
    order = access_order_for_buyer(request.user, reference)
    try:
        services.order_cancel(user=request.user, order=order)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order %(reference)s is cancelled.") % {"reference": order.reference})
    return redirect("shop:order", reference=order.reference)
