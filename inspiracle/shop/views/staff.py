"""The shop in the staff console (COM-4, COM-5, UX-3). Moderators (STAFF_CONSOLE) review products as they review
works; operations staff (SHOP_OPERATIONS, administrators) move paid orders through production, shipping and
delivery, refund them, settle payouts and keep the catalogue. Every object comes through an access function or
a capability check: non-staff get "not found", staff without the right a refusal (MOD-7)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspiracle.accounts.permissions import SHOP_OPERATIONS, STAFF_CONSOLE, require_capability
from inspiracle.core.errors import ApplicationError
from inspiracle.core.storage import private
from inspiracle.core.views import add_errors, form_page
from inspiracle.licensing.terms import terms_lines
from inspiracle.reasons import reason_label
from inspiracle.shop import transitions
from inspiracle.shop.forms_staff import (
    AddressForm,
    AdvanceForm,
    OrderFilterForm,
    PrintAreaForm,
    ProductTypeForm,
    RejectForm,
    VariantAddForm,
    VariantCostForm,
    to_fen,
    to_yuan,
)
from inspiracle.shop.models import Order, PrintFile, Product, ProductType
from inspiracle.shop.permissions import (
    access_order_for_operations,
    access_payout_for_operations,
    access_product_for_review,
)
from inspiracle.shop.selectors import (
    order_list_for_operations,
    payout_list_for_operations,
    product_list_for_review,
)
from inspiracle.shop.services import catalogue as staff_services
from inspiracle.shop.services import orders as order_services
from inspiracle.shop.services.payouts import payout_settle as settle
from inspiracle.shop.services.products import claim_holder, product_approve, product_claim, product_reject
from inspiracle.shop.templatetags.shop_money import fen_text
from inspiracle.works.selectors import work_files, work_matches

PAGE_SIZE = 50
# The one step operations may take next from each status (the services refuse any other, with a 409).
NEXT_STEP: dict[str, str] = {
    Order.Status.PAID: "produce",
    Order.Status.IN_PRODUCTION: "ship",
    Order.Status.SHIPPED: "deliver",
}


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Review (COM-4) ---------------------------------------------------------------------------------------


@login_required
@require_GET
def review(request):
    require_capability(request.user, STAFF_CONSOLE)
    return render(request, "shop/staff_review.html", {"page": _page(request, product_list_for_review())})


def _review_page(request, product: Product, *, form=None, refusal=None, status=200):
    deal = product.deal
    context = {
        "product": product,
        "mockups": list(product.mockups.order_by("pk")),
        "variants": [(v, product.price_fen - v.base_cost_fen) for v in product.variants.order_by("pk")],
        "work": product.work,
        "files": [f for f in work_files(product.work) if f.status == "ready"],
        "matches": work_matches(product.work),
        "deal": deal,
        "deal_lines": terms_lines(deal.proposal.terms) if deal is not None else [],
        "reason": reason_label(product.reason_code) if product.reason_code else None,
        "form": form or RejectForm(),
        "refusal": refusal,
        "holder": claim_holder(product, timezone.now()),
    }
    return form_page(request, "shop/staff_review_product.html", context, refusal, status=status)


@login_required
@require_GET
def review_product(request, reference):
    return _review_page(request, access_product_for_review(request.user, reference))


@require_POST
@login_required
def review_claim(request, reference):
    product = access_product_for_review(request.user, reference)
    try:
        product_claim(moderator=request.user, product=product)
    except ApplicationError as exc:  # someone else holds it, or it was decided: the page says which
        return _review_page(request, product, refusal=exc, status=exc.status)
    return redirect("shop_staff:review_product", reference)


@require_POST
@login_required
def review_approve(request, reference):
    product = access_product_for_review(request.user, reference)
    try:
        product_approve(moderator=request.user, product=product)
    except ApplicationError as exc:  # decided meanwhile by someone else: 409, the page shows its state now
        return _review_page(
            request, access_product_for_review(request.user, reference), refusal=exc, status=exc.status
        )
    messages.success(request, _("Approved: “%(title)s” is in the shop.") % {"title": product.title})
    return redirect("shop_staff:review")


@require_POST
@login_required
def review_reject(request, reference):
    product = access_product_for_review(request.user, reference)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, product, form=form, status=400)
    try:
        product_reject(moderator=request.user, product=product, **form.cleaned_data)
    except ApplicationError as exc:  # decided meanwhile: the refusal heads the page, which shows the decision
        fresh = access_product_for_review(request.user, reference)
        return _review_page(request, fresh, form=form, refusal=exc, status=exc.status)
    messages.success(request, _("Rejected: “%(title)s”.") % {"title": product.title})
    return redirect("shop_staff:review")


# --- Orders (COM-5) ---------------------------------------------------------------------------------------


@login_required
@require_GET
def orders(request):
    require_capability(request.user, SHOP_OPERATIONS)
    form = OrderFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    context = {
        "form": form,
        "page": _page(request, order_list_for_operations(status=status)),
        "query": f"status={status}&" if status else "",
    }
    return render(request, "shop/staff_orders.html", context)


def _order_page(
    request, order: Order, *, address=None, refusal=None, status=200, advance_form=None, address_form=None
):
    step = NEXT_STEP.get(order.status)
    context = {
        "order": order,
        "lines": list(order.lines.select_related("product", "variant", "maker", "print_file")),
        "payments": list(order.payments.order_by("pk")),
        "step": step,
        "advance_form": advance_form or AdvanceForm(initial={"step": step}),
        "can_refund": order.status in transitions.ORDER_REFUND.sources,
        "address": address,
        "address_form": address_form or AddressForm(),
        "refusal": refusal,
    }
    response = form_page(request, "shop/staff_order.html", context, refusal, status=status)
    if address is not None:
        response["Cache-Control"] = "no-store"  # personal information: kept by no browser cache or proxy
    return response


@login_required
@require_GET
def order(request, reference):
    return _order_page(request, access_order_for_operations(request.user, reference))


@login_required
@require_GET
def print_file(request, reference, line_id):
    """The print file of one line, as the print shop receives it; private like the original it comes from."""
    found = access_order_for_operations(request.user, reference)
    made = PrintFile.objects.filter(line__order=found, line_id=line_id).first()
    if made is None:
        raise Http404
    response = FileResponse(
        private.open(made.name, "rb"), as_attachment=True, filename=f"{found.reference}-{line_id}.png"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def order_advance(request, reference):
    found = access_order_for_operations(request.user, reference)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _order_page(request, found, advance_form=form, status=400)
    try:
        done = order_services.order_advance(staff=request.user, order=found, **form.cleaned_data)
    except ApplicationError as exc:  # the message heads the page; the form marks its own fields
        for field, errors in exc.fields.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        found = access_order_for_operations(request.user, reference)
        return _order_page(request, found, advance_form=form, refusal=exc, status=exc.status)
    messages.success(
        request,
        _("Order %(reference)s: %(status)s.")
        % {"reference": done.reference, "status": done.get_status_display()},
    )
    return redirect("shop_staff:order", reference)


@require_POST
@login_required
def order_refund(request, reference):
    found = access_order_for_operations(request.user, reference)
    try:
        order_services.order_refund(staff=request.user, order=found)
    except ApplicationError as exc:
        found = access_order_for_operations(request.user, reference)
        return _order_page(request, found, refusal=exc, status=exc.status)
    messages.success(request, _("Order %(reference)s is refunded.") % {"reference": reference})
    return redirect("shop_staff:order", reference)


@require_POST
@login_required
def order_address(request, reference):
    """PRV-1: the address is shown only in answer to this request, which names a reason and is audited; it is
    never in a URL, a GET page or a cache."""
    found = access_order_for_operations(request.user, reference)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _order_page(request, found, address_form=form, status=400)
    address = order_services.order_address_open(
        staff=request.user, order=found, reason=form.cleaned_data["reason"]
    )
    return _order_page(request, found, address=address)


# --- Payouts (COM-5) --------------------------------------------------------------------------------------


@login_required
@require_GET
def payouts(request):
    require_capability(request.user, SHOP_OPERATIONS)
    page = _page(request, payout_list_for_operations())
    return render(request, "shop/staff_payouts.html", {"page": page})


@require_POST
@login_required
def payout_settle(request, payout_id):
    payout = access_payout_for_operations(request.user, payout_id)
    try:
        settle(staff=request.user, payout=payout)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Recorded as paid: %(amount)s to @%(name)s.")
            % {"amount": fen_text(payout.amount_fen), "name": payout.creator.username},
        )
    return redirect("shop_staff:payouts")


# --- Catalogue (COM-4) ------------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue(request):
    require_capability(request.user, SHOP_OPERATIONS)
    return render(
        request,
        "shop/staff_catalogue.html",
        {"page": _page(request, staff_services.catalogue_list_for_staff())},
    )


def _type_page(request, product_type: ProductType, *, status=200, type_form=None, add_form=None, bound=None):
    """The type with a form for each thing staff may change; ``bound`` is the form of a variant or area
    (keyed ("variant"|"area", id)) that was just refused, shown with what was typed and why."""
    bound = bound or {}
    initial = {
        "name_en": product_type.name_en,
        "name_zh": product_type.name_zh,
        "min_margin": to_yuan(product_type.min_margin_fen),
        "active": product_type.active,
    }
    context = {
        "product_type": product_type,
        "type_form": type_form or ProductTypeForm(initial=initial),
        "add_form": add_form or VariantAddForm(auto_id="add-%s"),
        "variants": [
            (
                v,
                bound.get(("variant", v.pk))
                or VariantCostForm(initial={"base_cost": to_yuan(v.base_cost_fen)}, auto_id=f"v{v.pk}-%s"),
            )
            for v in product_type.variants.all()
        ],
        "areas": [
            (a, bound.get(("area", a.pk)) or PrintAreaForm(initial=_area_initial(a), auto_id=f"a{a.pk}-%s"))
            for a in product_type.print_areas.all()
        ],
    }
    return render(request, "shop/staff_catalogue_type.html", context, status=status)


def _area_initial(area) -> dict:
    names = ("box_x", "box_y", "box_w", "box_h", "width_mm", "height_mm", "dpi")
    return {name: getattr(area, name) for name in names}


def _change(request, product_type: ProductType, form, call, done: str, **page):
    """Bind -> call the service -> say so and go back to the type's page; or the page again, the form as typed
    with what was wrong."""
    if form.is_valid():
        try:
            call()
        except ApplicationError as exc:
            add_errors(form, exc)
            fresh = staff_services.product_type_get(staff=request.user, slug=product_type.slug)
            return _type_page(request, fresh, status=exc.status, **page)
        messages.success(request, done)
        return redirect("shop_staff:catalogue_type", product_type.slug)
    return _type_page(request, product_type, status=400, **page)


@login_required
def catalogue_type(request, slug):
    product_type = staff_services.product_type_get(staff=request.user, slug=slug)
    if request.method != "POST":
        return _type_page(request, product_type)
    form = ProductTypeForm(request.POST)

    def call():
        staff_services.product_type_update(
            staff=request.user, product_type=product_type, **form.service_kwargs()
        )

    return _change(request, product_type, form, call, _("Saved."), type_form=form)


@require_POST
@login_required
def variant_add(request, slug):
    product_type = staff_services.product_type_get(staff=request.user, slug=slug)
    form = VariantAddForm(request.POST, auto_id="add-%s")

    def call():
        staff_services.variant_add(staff=request.user, product_type=product_type, draft=form.draft())

    return _change(request, product_type, form, call, _("The variant is added."), add_form=form)


@require_POST
@login_required
def variant_cost(request, variant_id):
    variant = staff_services.variant_get(staff=request.user, variant_id=variant_id)
    product_type = staff_services.product_type_get(staff=request.user, slug=variant.product_type.slug)
    form = VariantCostForm(request.POST, auto_id=f"v{variant.pk}-%s")

    def call():
        cost = to_fen(form.cleaned_data["base_cost"])
        staff_services.variant_update(staff=request.user, variant=variant, base_cost_fen=cost)

    done = _("The base cost of %(variant)s is saved.") % {"variant": variant.label}
    return _change(request, product_type, form, call, done, bound={("variant", variant.pk): form})


@require_POST
@login_required
def variant_active(request, variant_id):
    variant = staff_services.variant_get(staff=request.user, variant_id=variant_id)
    active = request.POST.get("active") == "1"
    staff_services.variant_update(staff=request.user, variant=variant, active=active)
    if active:
        messages.success(request, _("%(variant)s is offered again.") % {"variant": variant.label})
    else:
        messages.success(
            request, _("%(variant)s is retired: products no longer offer it.") % {"variant": variant.label}
        )
    return redirect("shop_staff:catalogue_type", variant.product_type.slug)


@require_POST
@login_required
def print_area(request, area_id):
    area = staff_services.print_area_get(staff=request.user, area_id=area_id)
    product_type = staff_services.product_type_get(staff=request.user, slug=area.product_type.slug)
    form = PrintAreaForm(request.POST, auto_id=f"a{area.pk}-%s")

    def call():
        staff_services.print_area_update(staff=request.user, area=area, **form.cleaned_data)

    done = _("The print area “%(name)s” is saved.") % {"name": area.name}
    return _change(request, product_type, form, call, done, bound={("area", area.pk): form})
