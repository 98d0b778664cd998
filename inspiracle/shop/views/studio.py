"""The creator's studio in the shop (COM-4, COM-5): make a product of a work, follow its mockups and review,
withdraw it; the list of my products, sales of them, and revenue with payouts. Another maker's product is "not
found", for the page and for every action."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.agreements.gate import consent_required
from inspiracle.agreements.selectors import local_today
from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.reasons import reason_label
from inspiracle.shop import ledger, revenue, selectors, transitions
from inspiracle.shop.forms_studio import (
    ProductForm,
    TypeOption,
    WorkOption,
    catalogue_options,
    makeable_works,
    placement_check,
    product_resolution_warning,
)
from inspiracle.shop.models import Mockup, Product
from inspiracle.shop.permissions import access_product_for_maker
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.services.products import product_create, product_withdraw
from inspiracle.shop.templatetags.shop_money import fen_text
from inspiracle.works.permissions import access_work_for_view

PAGE_SIZE = 20
STATUSES = tuple(Product.Status.values)


def _cover(product: Product) -> Mockup | None:
    return next((m for m in product.mockups.all() if m.status == Mockup.Status.READY), None)


@login_required
def products(request):
    status = request.GET.get("status") if request.GET.get("status") in STATUSES else ""
    found = selectors.product_list_for_maker(request.user)
    page = Paginator(found.filter(status=status) if status else found, PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": [(product, _cover(product)) for product in page.object_list],
        "status": status,
        "statuses": Product.Status.choices,
        "query": f"status={status}&",
    }
    return render(request, "shop/studio_products.html", context)


def _service_errors(form: ProductForm, exc: ApplicationError) -> None:
    """The product rules' fields, each beside its field of the form (the placement's beside the size)."""
    fields = {("scale" if k == "placement" else k): v for k, v in exc.fields.items()}
    add_errors(form, ApplicationError(exc.message, fields=fields))


def _placement_feedback(
    form: ProductForm, works: list[WorkOption], types: list[TypeOption]
) -> tuple[str | None, list[str]]:
    """The resolution warning and placement problems for what was sent, as the live preview showed them."""
    data = getattr(form, "cleaned_data", {})
    placement = form.placement() if data else None
    picture = next((o.picture for o in works if o.work.pk == data.get("work")), None)
    area = next((t.area for t in types if t.product_type == data.get("product_type")), None)
    if placement is None or picture is None or area is None:
        return None, []
    return placement_check(picture=picture, area=area, placement=placement)


@login_required
@consent_required
def product_new(request):
    works, types = makeable_works(request.user, today=local_today()), catalogue_options()
    asked = request.GET.get("work", "")
    initial = {"work": asked, "product_type": types[0].product_type.pk if types else None}
    form = ProductForm(request.POST or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            access_work_for_view(request.user, form.cleaned_data["work"])
            product = product_create(maker=request.user, draft=form.draft())
        except ApplicationError as exc:
            _service_errors(form, exc)
            refusal = exc
        else:
            messages.success(
                request,
                _("Your product %(reference)s is made: its mockups are being rendered and it awaits review.")
                % {"reference": product.reference},
            )
            warning = product_resolution_warning(product)
            if warning:
                messages.warning(request, warning)
            return redirect("shop_studio:product", product.reference)
    warning, problems = _placement_feedback(form, works, types)
    context = {
        "form": form,
        "works": works,
        "types": types,
        "chosen": _chosen(form),
        "asked_missing": asked.isdigit() and all(str(o.work.pk) != asked for o in works),
        "warning": warning,
        "problems": [] if refusal else problems,
        "refusal": refusal,
    }
    status = refusal.status if refusal else 400 if form.errors else 200
    return form_page(request, "shop/studio_new.html", context, refusal, status=status)


def _chosen(form: ProductForm) -> dict:
    """What the form holds, as text to compare option values with in the template."""
    variants = form["variants"].value() or []
    return {
        "work": str(form["work"].value() or ""),
        "product_type": str(form["product_type"].value() or ""),
        "variants": {str(v) for v in variants},
    }


@login_required
def product_detail(request, reference):
    product = access_product_for_maker(request.user, reference)
    mockups = list(product.mockups.all())
    context = {
        "product": product,
        "mockups": mockups,
        "pending": any(m.status == Mockup.Status.PENDING for m in mockups),
        "variants": revenue.variant_margins(product),
        "warning": product_resolution_warning(product),
        "reason": reason_label(product.reason_code) if product.reason_code else None,
        "may_withdraw": product.status in transitions.PRODUCT_WITHDRAW.sources,
    }
    return render(request, "shop/studio_product.html", context)


@require_POST
@login_required
def withdraw(request, reference):
    product = access_product_for_maker(request.user, reference)
    try:
        product_withdraw(user=request.user, product=product)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(reference)s is withdrawn: it is no longer reviewed or sold.")
            % {"reference": product.reference},
        )
    return redirect("shop_studio:product", product.reference)


@login_required
def sales(request):
    page = Paginator(selectors.order_list_for_maker(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "rows": revenue.sale_rows(page.object_list), "query": ""}
    return render(request, "shop/studio_sales.html", context)


@login_required
def revenue_page(request):
    months = revenue.revenue_months(request.user)
    payouts = Paginator(revenue.payout_list_for_creator(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "balances": ledger.balances_for(request.user),
        "months": months,
        "chart": revenue.revenue_chart(months),
        "page": payouts,
        "query": "",
        "payout_min": fen_text(settings.SHOP_PAYOUT_MIN_FEN),
    }
    return render(request, "shop/studio_revenue.html", context)


@login_required
def revenue_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="revenue.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # the byte order mark: Excel then reads the file as UTF-8 (Chinese headers)
    csv.writer(response).writerows(revenue.revenue_csv_rows(revenue.revenue_months(request.user)))
    return response


@require_POST
@login_required
def payout(request):
    try:
        requested = payout_request(creator=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("You asked for a payout of %(amount)s. Staff pay it to your account and mark it paid here.")
            % {"amount": fen_text(requested.amount_fen)},
        )
    return redirect("shop_studio:revenue")
