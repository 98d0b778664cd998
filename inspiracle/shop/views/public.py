"""The shop for everyone (COM-4): browse and filter products, a product's page with its mockups and maker, the
mockup pictures, and the cart, which visitors keep by a token in their session (``shop.cart_token``)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.fragments import cached_fragment
from inspiracle.core.schemas import ID_MAX
from inspiracle.core.storage import private
from inspiracle.core.views import form_page
from inspiracle.shop.cart_token import cart_adopt_visitor_lines, cart_for, cart_owner
from inspiracle.shop.models import Mockup, Product, ProductType
from inspiracle.shop.permissions import access_product_for_view
from inspiracle.shop.selectors import product_for_sale, product_list_for_shop
from inspiracle.shop.services.cart import cart_add as add_to_cart
from inspiracle.shop.services.cart import cart_set_quantity

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 24


def _yuan(label: "StrOrPromise") -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=9, decimal_places=2, required=False)


class ShopFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), max_length=100, required=False)
    type = forms.ChoiceField(label=gettext_lazy("Product"), required=False)
    creator = forms.CharField(label=gettext_lazy("Creator (username)"), max_length=150, required=False)
    price_min = _yuan(gettext_lazy("From ¥"))
    price_max = _yuan(gettext_lazy("To ¥"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = ProductType.objects.filter(active=True)
        field = self.fields["type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All products")), *((t.slug, t.name) for t in types)]

    def filters(self) -> dict:
        """The valid filters (a wrong one is marked on the form and left out), prices in fen."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = self.cleaned_data
        fen = {k: int(v * 100) for k, v in data.items() if isinstance(v, Decimal)}
        return {
            "q": data.get("q", ""),
            "product_type": data.get("type", ""),
            "maker": data.get("creator", ""),
            "min_fen": fen.get("price_min"),
            "max_fen": fen.get("price_max"),
        }


class ColourSelect(forms.Select):
    """Options carry their colour, so that choosing one shows that colour's mockup (static/js/shop-product.js)."""

    colours: dict[int, str] = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-colour"] = self.colours.get(getattr(value, "value", value), "")
        return option


class CartAddForm(forms.Form):
    variant = forms.TypedChoiceField(label=gettext_lazy("Size and colour"), coerce=int, widget=ColourSelect)

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        variants = list(product.variants.filter(active=True))
        field = self.fields["variant"]
        assert isinstance(field, forms.ChoiceField) and isinstance(field.widget, ColourSelect)
        field.choices = [(v.pk, v.label) for v in variants]
        field.widget.colours = {v.pk: v.colour for v in variants}
        self.fields["quantity"] = forms.IntegerField(
            label=_("Quantity"), min_value=1, max_value=settings.SHOP_MAX_QUANTITY, initial=1
        )


@dataclass(frozen=True)
class Picture:
    mockup: Mockup
    colour_name: str


def gallery(product: Product) -> list[Picture]:
    """The product's rendered mockups (from the prefetch when there is one), named by their colour."""
    names = {v.colour: v.colour_name for v in product.variants.all()}
    ready = [m for m in product.mockups.all() if m.status == Mockup.Status.READY]
    return [Picture(m, names.get(m.colour, m.colour)) for m in sorted(ready, key=lambda m: m.pk)]


# What the shop shows changes only when a product, a work's status, a maker's name or the catalogue does.
CONTENT_GENERATIONS = ("products", "works", "profiles")
ASKED = ("q", "type", "creator", "price_min", "price_max", "page")


def _content(request) -> str:
    """The filters, the cards and the pages; nothing in them depends on who is looking."""
    form = ShopFilterForm(request.GET or None)
    page = Paginator(product_list_for_shop(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = getattr(form, "cleaned_data", {})
    asked = [(k, v) for k, v in request.GET.items() if k in kept and kept[k] not in ("", None)]
    context = {
        "form": form,
        "page": page,
        "cards": [(product, next(iter(gallery(product)), None)) for product in page.object_list],
        "query": urlencode(asked) + "&" if asked else "",
    }
    return render_to_string("shop/_shop_content.html", context)


def shop_list(request):
    content = cached_fragment(
        name="shop",
        request=request,
        asked=ASKED,
        depends_on=CONTENT_GENERATIONS,
        render=lambda: _content(request),
    )
    return render(request, "shop/shop_list.html", {"content": content})


def _product_page(request, product: Product, form: CartAddForm, refusal: ApplicationError | None = None):
    context = {
        "product": product,
        "gallery": gallery(product),
        "pending": product.mockups.filter(status=Mockup.Status.PENDING).exists(),
        "for_sale": product_for_sale(product),
        "form": form,
        "refusal": refusal,
    }
    status = refusal.status if refusal else 400 if form.errors else 200
    return form_page(request, "shop/shop_product.html", context, refusal, status=status)


def product_detail(request, reference):
    product = access_product_for_view(request.user, reference)
    return _product_page(request, product, CartAddForm(product=product))


def product_mockup(request, reference, mockup_id) -> HttpResponseBase:
    """A rendered mockup, for whoever may see the product; from private storage, never a public address."""
    product = access_product_for_view(request.user, reference)
    found = (
        product.mockups.filter(pk=mockup_id, status=Mockup.Status.READY).first()
        if mockup_id <= ID_MAX
        else None
    )
    if found is None:
        raise NotFound(_("There is no such picture of this product."))
    return _webp(found.name)


def _webp(name: str) -> HttpResponseBase:
    response: HttpResponseBase
    try:
        private.path(name)
    except NotImplementedError:  # S3: a short-lived signed address, for this reader alone
        response = HttpResponseRedirect(private.url(name, parameters={"ResponseContentType": "image/webp"}))
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(private.open(name, "rb"), content_type="image/webp")
    # A mockup's file never changes (a new rendering gets a new name), but the product may leave the shop:
    # the reader's own browser may keep it, no shared cache may.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def cart_add(request, reference):
    product = access_product_for_view(request.user, reference)
    form = CartAddForm(request.POST, product=product)
    if not form.is_valid():
        return _product_page(request, product, form)
    user, token = cart_owner(request, create=True)
    try:
        add_to_cart(
            user=user,
            session_key=token,
            product_reference=product.reference,
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
        )
    except ApplicationError as exc:
        return _product_page(request, product, form, exc)
    messages.success(request, _("“%(title)s” is in your cart.") % {"title": product.title})
    return redirect("shop:cart")


def cart(request):
    cart_adopt_visitor_lines(request)
    return render(request, "shop/cart.html", {"cart": cart_for(request), "max": settings.SHOP_MAX_QUANTITY})


@require_POST
def cart_update(request, line_id):
    """Change a line's quantity, or remove it ("remove", or quantity 0)."""
    field = forms.IntegerField(min_value=0, max_value=settings.SHOP_MAX_QUANTITY)
    user, token = cart_owner(request)
    try:
        quantity = 0 if "remove" in request.POST else field.clean(request.POST.get("quantity"))
        if line_id > ID_MAX:
            raise NotFound(_("This line is not in your cart."))
        cart_set_quantity(user=user, session_key=token, line_id=line_id, quantity=quantity)
    except forms.ValidationError:
        messages.error(
            request, _("Choose a quantity from 0 to %(max)d.") % {"max": settings.SHOP_MAX_QUANTITY}
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("shop:cart")
