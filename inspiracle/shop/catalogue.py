"""The catalogue the platform ships with (COM-4): five product types drawn by ``art.py``, their sizes, colours
and base costs. Installed by a data migration; staff keep it from then on (prices, new variants, retiring one).
Amounts in fen."""

from typing import Any

from inspiracle.shop.art import default_print_areas

WHITE = ("#ffffff", "White", "白色")
BLACK = ("#1f1f1f", "Black", "黑色")
CATALOGUE: list[dict[str, Any]] = [
    {
        "slug": "poster",
        "names": ("Poster", "海报"),
        "category": "publishing",
        "min_margin_fen": 10_00,
        "variants": [("A3", *WHITE, 25_00), ("A2", *WHITE, 38_00)],
    },
    {
        "slug": "tshirt",
        "names": ("T-shirt", "T 恤"),
        "category": "apparel",
        "min_margin_fen": 15_00,
        "variants": [
            (size, *colour, 50_00 if size == "XL" else 45_00)
            for colour in (WHITE, BLACK, ("#b9bcc0", "Heather grey", "麻灰色"), ("#22304f", "Navy", "藏青色"))
            for size in ("S", "M", "L", "XL")
        ],
    },
    {
        "slug": "mug",
        "names": ("Mug", "马克杯"),
        "category": "homeware",
        "min_margin_fen": 8_00,
        "variants": [("11 oz", *WHITE, 28_00), ("11 oz", *BLACK, 30_00)],
    },
    {
        "slug": "acrylic_stand",
        "names": ("Acrylic stand", "亚克力立牌"),
        "category": "toys",
        "min_margin_fen": 8_00,
        "variants": [
            ("10 cm", "#f4f7fb", "Clear", "透明", 18_00),
            ("15 cm", "#f4f7fb", "Clear", "透明", 26_00),
        ],
    },
    {
        "slug": "enamel_pin",
        "names": ("Enamel pin", "珐琅徽章"),
        "category": "accessories",
        "min_margin_fen": 6_00,
        "variants": [
            ("25 mm", "#d4af37", "Gold", "金色", 12_00),
            ("25 mm", "#c0c0c0", "Silver", "银色", 12_00),
        ],
    },
]


def catalogue_install(apps: Any) -> None:
    """Create the shipped product types that do not exist yet (by slug); leaves staff's changes alone."""
    product_type_model = apps.get_model("shop", "ProductType")
    area_model = apps.get_model("shop", "PrintArea")
    variant_model = apps.get_model("shop", "Variant")
    for position, entry in enumerate(CATALOGUE):
        if product_type_model.objects.filter(slug=entry["slug"]).exists():
            continue
        product_type = product_type_model.objects.create(
            slug=entry["slug"],
            name_en=entry["names"][0],
            name_zh=entry["names"][1],
            template=entry.get("template", entry["slug"]),
            category=entry["category"],
            min_margin_fen=entry["min_margin_fen"],
            position=position,
        )
        for area in default_print_areas(product_type.template):
            x, y, w, h = area.box
            area_model.objects.create(
                product_type=product_type,
                name=area.name,
                box_x=x,
                box_y=y,
                box_w=w,
                box_h=h,
                width_mm=area.width_mm,
                height_mm=area.height_mm,
                dpi=area.dpi,
            )
        for size, colour, name_en, name_zh, cost in entry["variants"]:
            variant_model.objects.create(
                product_type=product_type,
                size=size,
                colour=colour,
                colour_name_en=name_en,
                colour_name_zh=name_zh,
                base_cost_fen=cost,
            )
