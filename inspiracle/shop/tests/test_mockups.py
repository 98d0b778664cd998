"""Mockup pictures and print files (COM-4), with small synthetic pictures made here."""

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

from inspiracle.shop.art import TEMPLATE_KEYS, TEMPLATE_SIZE, AreaSpec, default_print_areas, template_art
from inspiracle.shop.mockups import (
    Placement,
    effective_dpi,
    placement_problems,
    render_mockup,
    render_print_file,
    resolution_warning,
)

COLOURS = ("#ffffff", "#1f2937")
CENTRE = Placement(x=0.5, y=0.5, scale=1.0)
FAR = 60  # px: "far outside" the area, 5% of the template


def area_of(template: str) -> AreaSpec:
    return default_print_areas(template)[0]


def red_filling(area: AreaSpec) -> Image.Image:
    """A pure red picture with the area's own proportions: at scale 1 it fills the area exactly."""
    return Image.new("RGB", (area.width_mm * 2, area.height_mm * 2), (255, 0, 0))


def reddish(image: Image.Image) -> np.ndarray:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int32)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return (red > 120) & (green < red * 0.45) & (blue < red * 0.45)


def box_mask(box: tuple[int, int, int, int], grow: int = 0) -> np.ndarray:
    x, y, w, h = box
    inside = np.zeros((TEMPLATE_SIZE, TEMPLATE_SIZE), bool)
    inside[max(0, y - grow) : y + h + grow, max(0, x - grow) : x + w + grow] = True
    return inside


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("template", TEMPLATE_KEYS)
def test_a_picture_lands_inside_its_print_area_on_every_template(template, colour):
    """REQ: COM-4 — each product template renders at 1200 px, and a red picture filling the print area shows
    as red inside the area box (on the printable part of the product) and nowhere far outside it."""
    area = area_of(template)
    mockup = render_mockup(
        picture=red_filling(area), template=template, colour=colour, area=area, placement=CENTRE
    )

    assert mockup.size == (TEMPLATE_SIZE, TEMPLATE_SIZE) and mockup.mode == "RGB"
    red = reddish(mockup)
    assert red[box_mask(area.box)].mean() > 0.3
    assert not red[~box_mask(area.box, grow=FAR)].any()
    # Print shows only where the product can take it: the mug's body, the pin's face, the sheet, the plate...
    printable = Image.fromarray(np.where(template_art(template, colour).mask > 0, 255, 0).astype(np.uint8))
    assert not (red & ~(np.asarray(printable.filter(ImageFilter.MaxFilter(5))) > 0)).any()


def test_the_mug_rolls_the_wrap_round_its_body_and_hides_the_back():
    """REQ: COM-4 — the mug's wrap is rolled onto the cylinder: a picture filling the whole 200 mm wrap shows
    only across the body's width, and a picture at the wrap's end (the back of the mug) does not show."""
    area = area_of("mug")
    whole = reddish(
        render_mockup(
            picture=red_filling(area), template="mug", colour="#ffffff", area=area, placement=CENTRE
        )
    )
    columns = np.nonzero(whole.any(axis=0))[0]
    body = template_art("mug", "#ffffff").mask_box
    assert body[0] - 2 <= columns[0] and columns[-1] <= body[2] + 2
    assert columns[-1] - columns[0] < area.box[2] * 0.5

    back = Placement(x=0.95, y=0.5, scale=0.08)
    hidden = render_mockup(
        picture=Image.new("RGB", (50, 50), "red"), template="mug", colour="#ffffff", area=area, placement=back
    )
    assert not reddish(hidden).any()


def test_the_colour_changes_the_product():
    """REQ: COM-4 — the product is drawn in the colour the creator chose."""
    for template in TEMPLATE_KEYS:
        area = area_of(template)
        small = Placement(x=0.1, y=0.1, scale=0.05)
        light, dark = (
            np.asarray(
                render_mockup(
                    picture=Image.new("RGB", (20, 20), "red"),
                    template=template,
                    colour=colour,
                    area=area,
                    placement=small,
                ),
                dtype=np.float32,
            )
            for colour in COLOURS
        )
        assert np.abs(light - dark).mean() > 2, template


def test_a_transparent_picture_leaves_the_product_as_drawn():
    clear = Image.new("RGBA", (300, 300), (255, 0, 0, 0))
    for template in TEMPLATE_KEYS:
        mockup = render_mockup(
            picture=clear, template=template, colour="#336699", area=area_of(template), placement=CENTRE
        )
        assert np.array_equal(np.asarray(mockup), np.asarray(template_art(template, "#336699").base))


def test_unknown_templates_and_colours_are_refused():
    picture = Image.new("RGB", (10, 10))
    area = area_of("poster")
    for template, colour in (
        ("hoodie", "#ffffff"),
        ("poster", "white"),
        ("poster", "#fff"),
        ("poster", "#gggggg"),
    ):
        with pytest.raises(ValueError):
            render_mockup(picture=picture, template=template, colour=colour, area=area, placement=CENTRE)


def test_the_mockup_is_resized_to_the_size_asked_for():
    mockup = render_mockup(
        picture=Image.new("RGB", (10, 10)),
        template="enamel_pin",
        colour="#ffffff",
        area=area_of("enamel_pin"),
        placement=CENTRE,
        size=400,
    )
    assert mockup.size == (400, 400)


def test_default_print_areas_have_the_proportions_of_their_size_in_print():
    for template in TEMPLATE_KEYS:
        for area in default_print_areas(template):
            x, y, w, h = area.box
            assert round(h * area.width_mm / area.height_mm) == w, area
            assert min(x, y) >= 0 and x + w <= TEMPLATE_SIZE and y + h <= TEMPLATE_SIZE


# --- placement ------------------------------------------------------------------------------------------------


def test_a_placement_inside_the_area_has_no_problems():
    assert placement_problems(picture_size=(420, 594), placement=CENTRE, area=area_of("poster")) == []
    nudged = Placement(x=0.502, y=0.5, scale=1.0)  # 0.8 mm over the edge: inside the half-percent tolerance
    assert placement_problems(picture_size=(420, 594), placement=nudged, area=area_of("poster")) == []


def test_a_picture_sticking_out_of_the_area_is_a_problem_that_says_how_to_fix_it():
    """REQ: COM-4 — the creator learns that the picture leaves the print area, and what to do."""
    area = area_of("tshirt")  # 300 x 400 mm
    problems = placement_problems(
        picture_size=(100, 100), placement=Placement(x=0.9, y=0.5, scale=0.5), area=area
    )
    assert problems == [
        "The picture sticks out 45 mm past the right edge of the print area. Move it to the left."
    ]

    corner = placement_problems(
        picture_size=(100, 100), placement=Placement(x=0.05, y=0.05, scale=0.5), area=area
    )
    assert len(corner) == 2 and "left edge" in corner[0] and "top edge" in corner[1]

    too_big = placement_problems(
        picture_size=(100, 100), placement=Placement(x=0.5, y=0.5, scale=1.5), area=area
    )
    assert too_big == [
        "At this size the picture (450 × 450 mm) is larger than the print area (300 × 400 mm). "
        "Make it at most 100% of the area's width."
    ]
    too_tall = placement_problems(picture_size=(100, 200), placement=CENTRE, area=area)
    assert "at most 66.6%" in too_tall[0]


@pytest.mark.parametrize(
    ("placement", "words"),
    [
        (Placement(x=0.5, y=0.5, scale=0), "more than 0% and at most 400%"),
        (Placement(x=0.5, y=0.5, scale=4.5), "450%"),
        (Placement(x=0.5, y=0.5, scale=float("nan")), "at most 400%"),
        (Placement(x=1.3, y=0.5, scale=0.1), "130% across"),
        (Placement(x=0.5, y=-0.2, scale=0.1), "-20% down"),
    ],
)
def test_sizes_and_positions_out_of_range_are_problems(placement, words):
    problems = placement_problems(picture_size=(100, 100), placement=placement, area=area_of("mug"))
    assert len(problems) == 1 and words in problems[0]


def test_a_small_picture_on_a_poster_gets_a_resolution_warning():
    """REQ: COM-4 — a 300 px picture across an A2 poster reaches 18 DPI of the 150 needed; the warning says so
    and names the width the picture would need."""
    area = area_of("poster")
    assert effective_dpi(picture_size=(300, 424), placement=CENTRE, area=area) == 18
    warning = resolution_warning(picture_size=(300, 424), placement=CENTRE, area=area)
    assert warning is not None
    assert "18 DPI" in warning and "150 DPI" in warning and "2481 px wide" in warning


def test_a_large_enough_picture_gets_no_resolution_warning():
    area = area_of("poster")
    assert resolution_warning(picture_size=(2481, 3508), placement=CENTRE, area=area) is None
    # The same picture at half the width reaches twice the DPI.
    assert effective_dpi(picture_size=(2481, 3508), placement=Placement(0.5, 0.5, 0.5), area=area) == 300
    assert (
        resolution_warning(picture_size=(1300, 1838), placement=Placement(0.5, 0.5, 0.5), area=area) is None
    )


# --- print file -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATE_KEYS)
def test_the_print_file_has_the_exact_size_and_is_transparent_around_the_picture(template):
    """REQ: COM-4 — the print shop receives the area at its real size and DPI, the picture at its placement."""
    area = area_of(template)
    print_file = render_print_file(
        picture=Image.new("RGB", (40, 40), (255, 0, 0)), area=area, placement=Placement(0.25, 0.3, 0.2)
    )

    width, height = round(area.width_mm / 25.4 * area.dpi), round(area.height_mm / 25.4 * area.dpi)
    assert print_file.size == (width, height) and print_file.mode == "RGBA"
    pixels = np.asarray(print_file)
    assert tuple(pixels[round(height * 0.3), round(width * 0.25)]) == (255, 0, 0, 255)
    covered = pixels[..., 3] > 0
    side = round(width * 0.2)
    assert abs(int(covered.sum()) - side * side) <= 4 * side
    assert not covered[:, round(width * 0.25) + side // 2 + 2 :].any()
    assert not covered[round(height * 0.3) + side // 2 + 2 :, :].any()


# --- odd pictures ---------------------------------------------------------------------------------------------


def palette_png_with_transparency() -> Image.Image:
    picture = Image.new("P", (60, 60), 0)
    picture.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    picture.paste(1, (0, 0, 30, 60))  # left half red, right half the transparent index 0
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=0)
    buffer.seek(0)
    return Image.open(buffer)


def odd_pictures() -> dict[str, Image.Image]:
    half_clear = Image.new("RGBA", (80, 80), (255, 0, 0, 255))
    half_clear.paste((0, 0, 255, 0), (40, 0, 80, 80))
    sixteen_bit = Image.fromarray(np.linspace(0, 65535, 64 * 64, dtype=np.uint16).reshape(64, 64))
    return {
        "RGBA with transparency": half_clear,
        "palette PNG with a transparent colour": palette_png_with_transparency(),
        "greyscale": Image.new("L", (50, 30), 128),
        "greyscale with alpha": Image.new("LA", (50, 30), (128, 200)),
        "16-bit greyscale": sixteen_bit,
        "CMYK": Image.new("CMYK", (40, 40), (0, 255, 255, 0)),
        "bilevel": Image.new("1", (40, 40), 1),
        "1 x 1": Image.new("RGB", (1, 1), (255, 0, 0)),
        "20000 x 10 strip": Image.new("RGB", (20000, 10), (255, 0, 0)),
    }


@pytest.mark.parametrize("name", list(odd_pictures()))
def test_odd_pictures_render_without_failing(name):
    picture = odd_pictures()[name]
    for template in ("poster", "mug"):
        area = area_of(template)
        mockup = render_mockup(
            picture=picture,
            template=template,
            colour="#ffffff",
            area=area,
            placement=Placement(0.5, 0.5, 0.4),
        )
        assert mockup.size == (TEMPLATE_SIZE, TEMPLATE_SIZE)
    print_file = render_print_file(
        picture=picture, area=area_of("enamel_pin"), placement=Placement(0.5, 0.5, 0.5)
    )
    assert print_file.size == (591, 591) and print_file.mode == "RGBA"


def test_the_transparent_parts_of_a_picture_do_not_print():
    area = area_of("enamel_pin")
    for picture in (odd_pictures()["RGBA with transparency"], palette_png_with_transparency()):
        mockup = render_mockup(
            picture=picture, template="enamel_pin", colour="#ffffff", area=area, placement=CENTRE
        )
        pixels = np.asarray(mockup)
        base = np.asarray(template_art("enamel_pin", "#ffffff").base)
        x, y, w, h = area.box
        left, right = (y + h // 2, x + w // 4), (y + h // 2, x + 3 * w // 4)
        assert reddish(mockup)[left]
        assert tuple(pixels[right]) == tuple(base[right])
        print_file = np.asarray(render_print_file(picture=picture, area=area, placement=CENTRE))
        assert print_file[295, 100, 3] == 255 and print_file[295, 490, 3] == 0


def test_a_thin_strip_still_shows():
    area = area_of("poster")
    strip = Image.new("RGB", (20000, 10), (255, 0, 0))
    assert reddish(
        render_mockup(picture=strip, template="poster", colour="#ffffff", area=area, placement=CENTRE)
    ).any()
