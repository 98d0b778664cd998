import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from inspiracle.accounts.models import User
from inspiracle.accounts.services import (
    RegistrationData,
    certificate_review,
    protected_name_add,
    user_register,
)
from inspiracle.agreements.selectors import local_today, required_versions_in_force
from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_counter, request_decline, request_send
from inspiracle.pipeline.copy_search import search_copies
from inspiracle.pipeline.runner import process_file
from inspiracle.shop.mockups import Placement
from inspiracle.shop.models import ProductType, Variant
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.mockups import mockups_render
from inspiracle.shop.services.orders import Address, order_advance, order_pay, order_place
from inspiracle.shop.services.products import ProductDraft, product_approve, product_create
from inspiracle.works.models import Work
from inspiracle.works.screening import screening_term_add
from inspiracle.works.services import work_create, work_publish

DEMO_PASSWORD = "inspiracle-demo"  # noqa: S105 - demo accounts on a local machine, printed by `serve`

# (username, kind, staff role, legal name, mobile, email)
DEMO_USERS = [
    ("admin", "person", "admin", "管理员 Admin", "13800138000", "admin@demo.inspiracle.example"),
    ("ana", "person", "", "安娜 Ana Lin", "13800138001", "ana@demo.inspiracle.example"),
    (
        "ben_brand",
        "organization",
        "",
        "奔牌文创有限公司 Ben Brand Ltd.",
        "13800138002",
        "ben@demo.inspiracle.example",
    ),
    ("mo", "person", "moderator", "莫 Mo Chen", "13800138003", "mo@demo.inspiracle.example"),
    ("lee", "person", "legal_officer", "李 Lee Wang", "13800138004", "lee@demo.inspiracle.example"),
    ("cy", "person", "", "西 Cy Zhao", "13800138005", ""),
    # An organization whose certificate waits in the verification queue.
    (
        "dora_studio",
        "organization",
        "",
        "朵拉插画工作室 Dora Studio",
        "13800138006",
        "dora@demo.inspiracle.example",
    ),
]
# A minimal valid PDF standing in for a scanned certificate.
DEMO_CERTIFICATE = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Command(BaseCommand):
    help = "Load the shipped agreements and demo users of every role, once."

    def handle(self, *args, **options):
        for version in agreements_load_directory(directory=DEFAULTS_DIR, only_if_empty=True):
            self.stdout.write(f"published {version.label}")
        if User.objects.exists():
            self.stdout.write("demo data: users exist already, nothing loaded")
            return
        labels = [v.label for v in required_versions_in_force()]
        with transaction.atomic():
            for username, kind, role, legal_name, mobile, email in DEMO_USERS:
                user = user_register(
                    data=RegistrationData(
                        username=username,
                        password=DEMO_PASSWORD,
                        kind=kind,
                        legal_name=legal_name,
                        mailing_address="上海市黄浦区中山东一路 1 号",
                        mobile=mobile,
                        email=email,
                    ),
                    accepted=labels,
                    age_attested=True,
                    certificate=DEMO_CERTIFICATE if kind == "organization" else None,
                    email_confirmed=True,
                )
                if role:
                    User.objects.filter(pk=user.pk).update(staff_role=role)
            admin = User.objects.get(username="admin")
            certificate = User.objects.get(username="ben_brand").certificates.newest()
            assert certificate is not None  # registered with one just above
            certificate_review(actor=admin, certificate=certificate, accept=True)
            for name in ("Inspiracle", "Inspiracle 官方"):
                protected_name_add(actor=admin, name=name, note="the platform's own name")
        self.stdout.write(
            f"demo users loaded: {', '.join(u[0] for u in DEMO_USERS)} (password: {DEMO_PASSWORD})"
        )
        self.stdout.write(f"demo works loaded: {load_demo_works()}")
        self.stdout.write(f"demo licensing loaded: {load_demo_licensing()}")
        self.stdout.write(f"demo shop loaded: {load_demo_shop()}")


# (owner, title, description, category, tags, AI use, published)
DEMO_WORKS = [
    (
        "ana",
        "山间晨雾 Morning mist",
        "水彩与墨。Watercolour and ink.",
        "illustration",
        ["水彩", "landscape"],
        "none",
        True,
    ),
    (
        "ana",
        "小橘猫 Little tangerine cat",
        "原创角色设定。An original character sheet.",
        "character",
        ["cat", "角色"],
        "none",
        True,
    ),
    (
        "ana",
        "灯笼节图案 Lantern festival pattern",
        "用于纺织品的循环图案。A repeating pattern for textiles.",
        "pattern",
        ["节日", "pattern"],
        "assisted",
        True,
    ),
    ("ana", "黄昏之城 City at dusk", "数字绘画。Digital painting.", "illustration", ["city"], "none", False),
    (
        "ben_brand",
        "奔牌吉祥物 Ben mascot",
        "品牌吉祥物。The brand's mascot.",
        "logo",
        ["mascot"],
        "none",
        True,
    ),
    (
        "ben_brand",
        "秋季系列海报 Autumn collection poster",
        "秋季产品线海报。Poster for the autumn line.",
        "design",
        ["poster"],
        "generated",
        True,
    ),
]


def _demo_picture(seed: int) -> bytes:
    """A small abstract picture: overlapping translucent shapes on a gradient, different for every seed."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = 1200, 900
    top, bottom = [rng.randrange(256) for _ in range(3)], [rng.randrange(256) for _ in range(3)]
    image = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        [image.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(top, bottom, strict=True)],
    )
    layer = Image.new("RGBA", (width, height))
    draw = ImageDraw.Draw(layer)
    for _ in range(14):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 260)
        colour = (*[rng.randrange(256) for _ in range(3)], rng.randrange(90, 200))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.regular_polygon((x, y, r), rng.randrange(3, 7), rotation=rng.randrange(360), fill=colour)
    image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def load_demo_works() -> int:
    """Upload the demo works through the same services as a person would, check them at once (the worker
    may not run yet), and publish most of them as the demo moderator."""
    moderator = User.objects.get(username="mo")
    screening_term_add(actor=moderator, term="仿冒", note="counterfeit goods")
    screening_term_add(actor=moderator, term="replica", note="counterfeit goods")
    for seed, (owner, title, description, category, tags, ai_use, published) in enumerate(DEMO_WORKS):
        work = work_create(
            owner=User.objects.get(username=owner),
            title=title,
            description=description,
            category=category,
            tags=tags,
            ai_use=ai_use,
            rights_confirmed=True,
            files=[SimpleUploadedFile(f"demo-{seed}.jpg", _demo_picture(seed))],
        )
        for row in work.files.all():
            if process_file(row.pk) == "ready":
                search_copies(row.pk)  # as the worker does next; publishing waits for it
        work.refresh_from_db()
        if published and work.status == Work.Status.AWAITING_REVIEW:
            work_publish(actor=moderator, work=work)
    return len(DEMO_WORKS)


def _demo_terms(kind: str, fee: dict[str, str], **scope) -> dict:
    today = local_today()
    return {
        "kind": kind,
        "product_categories": ["apparel"],
        "territories": ["cn"],
        "channels": ["online"],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=2 * 365)).isoformat(),
        **scope,
        **fee,
    }


def load_demo_licensing() -> str:
    """COM-1, COM-2: the verified brand asks the demo creator for licences on her published works, through the
    same services as the pages: one request waiting for the brand's answer to a counter-proposal, one
    declined, and one accepted exclusive deal (its work carries the exclusive mark)."""
    ana, ben = User.objects.get(username="ana"), User.objects.get(username="ben_brand")
    published = {work.title: work for work in Work.objects.filter(owner=ana, status=Work.Status.PUBLISHED)}
    wanted = ("山间晨雾 Morning mist", "灯笼节图案 Lantern festival pattern", "小橘猫 Little tangerine cat")
    if any(title not in published for title in wanted):
        return "skipped (the demo works were not published)"
    mist, lantern, cat = (published[title] for title in wanted)
    waiting = request_send(
        requester=ben,
        work_ids=[mist.pk],
        data=_demo_terms(
            "ip_licence",
            {"fee_model": "flat", "flat_fee": "12000"},
            intended_use="T 恤和帆布袋的秋季系列。An autumn line of T-shirts and tote bags.",
            product_categories=["apparel", "accessories"],
        ),
        message="您好！我们很喜欢这幅作品。Hello! We love this piece.",
    )
    request_counter(
        request=waiting,
        by=ana,
        data={
            **_demo_terms(
                "ip_licence",
                {"fee_model": "guarantee_royalty", "minimum_guarantee": "15000", "royalty_percent": "6"},
                intended_use="T 恤和帆布袋的秋季系列。An autumn line of T-shirts and tote bags.",
                product_categories=["apparel", "accessories"],
            ),
            "ends_on": (local_today() + timedelta(days=365)).isoformat(),
        },
        message="一年期，保底加分成。One year, with a minimum guarantee plus royalty.",
    )
    declined = request_send(
        requester=ben,
        work_ids=[lantern.pk],
        data=_demo_terms(
            "co_branding",
            {"fee_model": "flat", "flat_fee": "5000"},
            intended_use="印有双方名称的灯笼节礼盒。Lantern festival gift boxes with both our names.",
            product_categories=["food"],
            channels=["online", "retail"],
        ),
    )
    request_decline(
        request=declined, by=ana, reason="这个图案已另有安排。This pattern is promised elsewhere."
    )
    exclusive = request_send(
        requester=ben,
        work_ids=[cat.pk],
        data=_demo_terms(
            "exclusive",
            {"fee_model": "guarantee_royalty", "minimum_guarantee": "30000", "royalty_percent": "8"},
            intended_use="毛绒玩具和盲盒。Plush toys and blind boxes.",
            product_categories=["toys"],
            territories=["cn", "hk", "mo"],
            channels=["online", "retail"],
        ),
    )
    deal = request_accept(request=exclusive, by=ana, number=1)
    return f"requests {waiting.reference} (open), {declined.reference} (declined); deal {deal.reference}"


# (work title, product type, (size, colour) pairs, title, price in fen, placement)
DEMO_PRODUCTS = [
    ("山间晨雾 Morning mist", "tshirt", [("M", "#ffffff"), ("L", "#ffffff"), ("M", "#22304f")], "晨雾 T 恤 Mist tee", 99_00, (0.5, 0.42, 0.7)),
    ("山间晨雾 Morning mist", "poster", [("A3", "#ffffff"), ("A2", "#ffffff")], "晨雾海报 Mist poster", 68_00, (0.5, 0.5, 1.0)),
    ("灯笼节图案 Lantern festival pattern", "mug", [("11 oz", "#ffffff"), ("11 oz", "#1f1f1f")], "灯笼马克杯 Lantern mug", 59_00, (0.5, 0.5, 0.45)),
    ("小橘猫 Little tangerine cat", "enamel_pin", [("25 mm", "#d4af37")], "小橘猫徽章 Tangerine cat pin", 29_00, (0.5, 0.5, 0.9)),
]  # fmt: skip


def load_demo_shop() -> str:
    """COM-4, COM-5: Ana's products (mockups rendered at once, approved by Mo) and a few orders paid with the
    test card: one delivered (its margin is available to Ana), one shipped, one waiting for payment."""
    ana, mo, admin = (User.objects.get(username=name) for name in ("ana", "mo", "admin"))
    cy, ben = User.objects.get(username="cy"), User.objects.get(username="ben_brand")
    works = {w.title: w for w in Work.objects.filter(owner=ana, status=Work.Status.PUBLISHED)}
    products = []
    for work_title, slug, variants, title, price, (x, y, scale) in DEMO_PRODUCTS:
        if work_title not in works:
            continue
        product_type = ProductType.objects.get(slug=slug)
        chosen = [
            Variant.objects.get(product_type=product_type, size=size, colour=colour)
            for size, colour in variants
        ]
        draft = ProductDraft(
            work_id=works[work_title].pk,
            product_type_id=product_type.pk,
            variant_ids=tuple(v.pk for v in chosen),
            title=title,
            placement=Placement(x=x, y=y, scale=scale),
            price_fen=price,
        )
        product = product_create(maker=ana, draft=draft)
        mockups_render(product.pk)  # the worker may not run yet
        products.append(product_approve(moderator=mo, product=product))
    if len(products) < 3:
        return f"{len(products)} products (the demo works were not all published)"
    address = Address(name="西 Cy Zhao", phone="13800138005", address="北京市朝阳区建国路 88 号")
    orders = []
    for buyer, picks in ((cy, products[:2]), (ben, products[2:3]), (cy, products[3:])):
        for product in picks:
            cart_add(
                user=buyer,
                session_key="",
                product_reference=product.reference,
                variant_id=product.variants.order_by("pk")[0].pk,
                quantity=1,
            )
        orders.append(order_place(buyer=buyer, address=address))
    for order in orders[:2]:
        order_pay(buyer=order.buyer, order=order, card="4242 4242 4242 4242", attempt="demo")
    for step in ("produce", "ship", "deliver"):
        order_advance(staff=admin, order=orders[0], step=step, tracking="SF1400000001")
    for step in ("produce", "ship"):
        order_advance(staff=admin, order=orders[1], step=step, tracking="SF1400000002")
    return f"{len(products)} products; orders {', '.join(o.reference for o in orders)}"
