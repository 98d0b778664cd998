"""The make-product form (COM-4) and what it offers: the works a creator may turn into products, the catalogue
with its print areas and base costs, and the print resolution check.

The service (``product_create``) decides everything again; the choices here only spare the creator a refusal.
Placement is typed in percent on the page and travels as fractions (``Placement``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.core.schemas import ID_MAX
from inspiracle.licensing.models import Deal, Grant
from inspiracle.shop.mockups import MAX_SCALE, Placement, placement_problems, resolution_warning
from inspiracle.shop.models import PrintArea, Product, ProductType, Variant
from inspiracle.shop.services.products import ProductDraft, production_grant
from inspiracle.works.models import Work, WorkFile


def _ready_files(path: str = "files") -> Prefetch:
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")
    return Prefetch(path, queryset=ready, to_attr="ready_files")


def _picture(work: Work) -> WorkFile | None:
    """The picture a product of ``work`` prints: its first checked file (prefetched by ``_ready_files``)."""
    files: list[WorkFile] = getattr(work, "ready_files", [])
    return files[0] if files else None


@dataclass(frozen=True)
class WorkOption:
    """A work the creator may make products of, the picture that would be printed (its first checked file, as
    the service takes it) and, for someone else's work, the deal that licenses it."""

    work: Work
    picture: WorkFile
    deal: Deal | None = None


def makeable_works(maker: User, *, today: date) -> list[WorkOption]:
    """The maker's published works, then published works of others they hold a production licence for (a grant
    in force today covering at least one category of the catalogue, mainland China, online)."""
    own = Work.objects.filter(owner=maker, status=Work.Status.PUBLISHED).order_by("-published_at", "-pk")
    options = []
    for work in own.prefetch_related(_ready_files()):
        picture = _picture(work)
        if picture is not None:
            options.append(WorkOption(work, picture))
    grants = (
        Grant.objects.filter(
            licensee=maker,
            revoked_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
            deal__annulled_at__isnull=True,
            work__status=Work.Status.PUBLISHED,
        )
        .exclude(work__owner=maker)
        .select_related("work__owner")
        .prefetch_related(_ready_files("work__files"))
        .order_by("work_id", "pk")
    )
    categories = sorted(set(ProductType.objects.filter(active=True).values_list("category", flat=True)))
    seen: set[int] = set()
    for grant in grants:
        work, picture = grant.work, _picture(grant.work)
        if work.pk in seen or picture is None:
            continue
        for category in categories:
            found = production_grant(work=work, category=category, maker=maker, today=today)
            if found is not None:
                seen.add(work.pk)
                options.append(WorkOption(work, picture, found.deal))
                break
    return options


@dataclass(frozen=True)
class TypeOption:
    """A product type as the form offers it: where the picture goes and the sizes and colours it comes in."""

    product_type: ProductType
    area: PrintArea
    variants: list[Variant]

    @property
    def colour(self) -> str:
        """The colour its card shows, without the "#" (as the template picture's address takes it)."""
        return self.variants[0].colour[1:]


def catalogue_options() -> list[TypeOption]:
    """The active product types that can be made: each with its print area and active variants."""
    types = ProductType.objects.filter(active=True).prefetch_related(
        Prefetch("print_areas", queryset=PrintArea.objects.order_by("pk"), to_attr="areas"),
        Prefetch("variants", queryset=Variant.objects.filter(active=True), to_attr="active_variants"),
    )
    return [TypeOption(t, t.areas[0], t.active_variants) for t in types if t.areas and t.active_variants]


def placement_check(
    *, picture: WorkFile, area: PrintArea, placement: Placement
) -> tuple[str | None, list[str]]:
    """The resolution warning (does not block) and the placement problems (block), as the service sees them."""
    if not picture.width or not picture.height:  # a checked picture always has its size; the service refuses
        return None, []
    size = (picture.width, picture.height)
    problems = placement_problems(picture_size=size, placement=placement, area=area.spec)
    if problems:
        return None, problems
    return resolution_warning(picture_size=size, placement=placement, area=area.spec), []


def product_resolution_warning(product: Product) -> str | None:
    """A made product's warning: its picture has fewer pixels than its print area's DPI needs."""
    picture = product.work.files.filter(status=WorkFile.Status.READY).order_by("position", "pk").first()
    if picture is None:
        return None
    placement = Placement(x=product.placement_x, y=product.placement_y, scale=product.placement_scale)
    return placement_check(picture=picture, area=product.print_area, placement=placement)[0]


def _percent(label, initial: int, *, low: float, high: float) -> forms.FloatField:
    attrs = {"min": low, "max": high, "step": "0.1", "inputmode": "decimal"}
    return forms.FloatField(label=label, initial=initial, widget=forms.NumberInput(attrs=attrs))


class ProductForm(forms.Form):
    """Lenient where the service speaks better: any work id (the service says why it may not be used) and any
    finite placement (the service names the edge the picture sticks out of)."""

    work = forms.IntegerField(label=_("Work"), min_value=1, max_value=ID_MAX)
    product_type = forms.ModelChoiceField(
        label=_("Product"), queryset=ProductType.objects.filter(active=True), widget=forms.RadioSelect
    )
    variants = forms.ModelMultipleChoiceField(
        label=_("Sizes and colours"),
        queryset=Variant.objects.filter(active=True, product_type__active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    # The labels are never %-formatted; without these markers makemessages flags them python-format.
    # xgettext:no-python-format
    x = _percent(_("Across (% of the print area)"), 50, low=0, high=100)
    # xgettext:no-python-format
    y = _percent(_("Down (% of the print area)"), 50, low=0, high=100)
    # xgettext:no-python-format
    scale = _percent(_("Size (% of the print area's width)"), 60, low=1, high=MAX_SCALE * 100)
    title = forms.CharField(label=_("Title"), max_length=120)
    price = forms.DecimalField(
        label=_("Price (CNY)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_(
            "The buyer pays this for any of the chosen sizes and colours; you earn it minus the base cost."
        ),
    )

    def placement(self) -> Placement | None:
        data = self.cleaned_data
        if any(data.get(name) is None for name in ("x", "y", "scale")):
            return None
        return Placement(x=data["x"] / 100, y=data["y"] / 100, scale=data["scale"] / 100)

    def draft(self) -> ProductDraft:
        data = self.cleaned_data
        placement = self.placement()
        assert placement is not None  # a valid form has all three
        return ProductDraft(
            work_id=data["work"],
            product_type_id=data["product_type"].pk,
            variant_ids=tuple(variant.pk for variant in data["variants"]),
            title=data["title"],
            placement=placement,
            price_fen=int(data["price"] * 100),
        )
