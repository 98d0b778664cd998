"""Mockup pictures and print files for products (COM-4), after Printful's mockup generator.

A creator places a picture in a product's print area (``Placement``: its centre as fractions of the area, its
width as a fraction of the area's width). ``render_mockup`` shows it on the drawn product (art.py): the picture
is first scaled down to the few hundred template pixels it covers, so that a 6,000 px picture costs about what a
600 px one does, then bent onto the product (rolled round the mug, rippled along the T-shirt's folds, turned a
little in perspective on the poster and the acrylic plate), lit by the product's shading map and laid over the
product where print can show. ``render_print_file`` is what the print shop receives: the print area at its
real size and resolution, transparent, with the picture at its placement and nothing else.

Measured: bench/mockups.py.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from PIL import Image

from inspiracle.shop import art
from inspiracle.shop.art import TEMPLATE_KEYS, TEMPLATE_SIZE, AreaSpec

MAX_SCALE = 4.0
TOLERANCE = (
    0.005  # of the area's width or height: a picture may overhang by half a percent (rounding, a nudge)
)
MM_PER_INCH = 25.4
_MESH_CELL = 24  # px; the bent products are drawn as a mesh of small quads, each bent bilinearly
_MUG_COLUMN = 6  # px; narrower strips where the mug's sides squeeze the picture hardest

Rect = tuple[float, float, float, float]  # left, top, right, bottom
Mapping = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Placement:
    """The picture's centre (x, y) as fractions of the print area and its width as a fraction of the area's."""

    x: float
    y: float
    scale: float


# --- checks ---------------------------------------------------------------------------------------------------


def placement_problems(*, picture_size: tuple[int, int], placement: Placement, area: AreaSpec) -> list[str]:
    """What is wrong with a placement, each message saying how to fix it; empty when it can be printed."""
    problems = []
    if not 0 < placement.scale <= MAX_SCALE:  # also false for NaN
        problems.append(
            _(
                "The picture's size is %(scale)s%% of the print area's width; it must be more than 0%% and at "
                "most 400%%. Choose a size in that range."
            )
            % {"scale": _number(placement.scale * 100)}
        )
    for value, message in (
        (
            placement.x,
            _(
                "The picture's centre is at %(value)s%% across the print area; it must be between 0%% and 100%%. "
                "Move the picture back inside the area."
            ),
        ),
        (
            placement.y,
            _(
                "The picture's centre is at %(value)s%% down the print area; it must be between 0%% and 100%%. "
                "Move the picture back inside the area."
            ),
        ),
    ):
        if not 0 <= value <= 1:
            problems.append(message % {"value": _number(value * 100)})
    if problems:
        return problems

    width, height = _placed_mm(picture_size, placement, area)
    if width > area.width_mm * (1 + TOLERANCE) or height > area.height_mm * (1 + TOLERANCE):
        largest = min(1.0, area.height_mm / height * placement.scale)
        return [
            _(
                "At this size the picture (%(width)s × %(height)s mm) is larger than the print area (%(area_width)s "
                "× %(area_height)s mm). Make it at most %(largest)s%% of the area's width."
            )
            % {
                "width": _number(width),
                "height": _number(height),
                "area_width": area.width_mm,
                "area_height": area.height_mm,
                "largest": _number(math.floor(largest * 1000) / 10),
            }
        ]
    centre_x, centre_y = placement.x * area.width_mm, placement.y * area.height_mm
    problems = []
    if width / 2 - centre_x > area.width_mm * TOLERANCE:
        problems.append(
            _("The picture sticks out %(mm)s mm past the left edge of the print area. Move it to the right.")
            % {"mm": _number(width / 2 - centre_x)}
        )
    if centre_x + width / 2 - area.width_mm > area.width_mm * TOLERANCE:
        problems.append(
            _("The picture sticks out %(mm)s mm past the right edge of the print area. Move it to the left.")
            % {"mm": _number(centre_x + width / 2 - area.width_mm)}
        )
    if height / 2 - centre_y > area.height_mm * TOLERANCE:
        problems.append(
            _("The picture sticks out %(mm)s mm past the top edge of the print area. Move it down.")
            % {"mm": _number(height / 2 - centre_y)}
        )
    if centre_y + height / 2 - area.height_mm > area.height_mm * TOLERANCE:
        problems.append(
            _("The picture sticks out %(mm)s mm past the bottom edge of the print area. Move it up.")
            % {"mm": _number(centre_y + height / 2 - area.height_mm)}
        )
    return problems


def effective_dpi(*, picture_size: tuple[int, int], placement: Placement, area: AreaSpec) -> int:
    """Picture pixels per inch of print at this placement, rounded down."""
    return math.floor(_exact_dpi(picture_size, placement, area) + 1e-9)


def resolution_warning(*, picture_size: tuple[int, int], placement: Placement, area: AreaSpec) -> str | None:
    """A warning when the picture has fewer pixels than the print area's DPI needs at this size."""
    reached = _exact_dpi(picture_size, placement, area)
    if reached + 1e-9 >= area.dpi:
        return None
    printed_inches = area.width_mm * placement.scale / MM_PER_INCH
    return _(
        "The picture reaches %(reached)d DPI at this size, but this print area needs %(needed)d DPI to print "
        "sharply. Use a picture at least %(pixels)d px wide, or make it smaller (at most %(largest)s%% of the "
        "area's width)."
    ) % {
        "reached": math.floor(reached + 1e-9),
        "needed": area.dpi,
        "pixels": math.ceil(printed_inches * area.dpi - 1e-9),
        "largest": _number(math.floor(placement.scale * reached / area.dpi * 1000) / 10),
    }


def _exact_dpi(picture_size: tuple[int, int], placement: Placement, area: AreaSpec) -> float:
    _check_picture_size(picture_size)
    _check_placement(placement)
    return picture_size[0] / (area.width_mm * placement.scale / MM_PER_INCH)


def _placed_mm(picture_size: tuple[int, int], placement: Placement, area: AreaSpec) -> tuple[float, float]:
    _check_picture_size(picture_size)
    width = area.width_mm * placement.scale
    return width, width * picture_size[1] / picture_size[0]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _check_picture_size(picture_size: tuple[int, int]) -> None:
    if len(picture_size) != 2 or min(picture_size) < 1:
        raise ValueError(f"a picture is at least 1 x 1 px, not {picture_size!r}")


def _check_placement(placement: Placement) -> None:
    if not (0 < placement.scale < math.inf and math.isfinite(placement.x) and math.isfinite(placement.y)):
        raise ValueError(f"cannot place a picture at {placement!r}")


def _check_area(area: AreaSpec) -> None:
    if min(area.box[2], area.box[3], area.width_mm, area.height_mm, area.dpi) < 1:
        raise ValueError(f"a print area has a size, a box and a DPI of at least 1, not {area!r}")


# --- print file -----------------------------------------------------------------------------------------------


def print_file_size(area: AreaSpec) -> tuple[int, int]:
    return round(area.width_mm / MM_PER_INCH * area.dpi), round(area.height_mm / MM_PER_INCH * area.dpi)


def render_print_file(*, picture: Image.Image, area: AreaSpec, placement: Placement) -> Image.Image:
    """The print area at its real size and DPI, transparent, the picture at its placement: no warp, no shading."""
    _check_placement(placement)
    _check_area(area)
    width, height = print_file_size(area)
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image = _as_rgba(picture)
    placed_width = placement.scale * width
    centre = (placement.x * width, placement.y * height)
    fitted = _fit(image, centre, placed_width, (0, 0, width, height), reducing_gap=None)
    if fitted is not None:
        canvas.paste(*fitted)
    return canvas


# --- mockup ---------------------------------------------------------------------------------------------------


def render_mockup(
    *,
    picture: Image.Image,
    template: str,
    colour: str,
    area: AreaSpec,
    placement: Placement,
    size: int = 1200,
) -> Image.Image:
    """The product in ``colour`` with the picture printed on it, ``size`` px square, RGB.

    ValueError for an unknown template, a colour that is not #rrggbb, a size below 1 px, or a placement with
    no size. A picture reaching past the print area is cut at its edge, as the printer would.
    """
    if template not in TEMPLATE_KEYS:
        raise ValueError(f"unknown template {template!r}; known: {', '.join(TEMPLATE_KEYS)}")
    if size < 1:
        raise ValueError(f"a mockup is at least 1 px, not {size}")
    _check_placement(placement)
    _check_area(area)
    drawn = art.template_art(template, colour)
    result = drawn.base.copy()
    left, top, w, h = area.box
    clip = (max(0, left), max(0, top), min(TEMPLATE_SIZE, left + w), min(TEMPLATE_SIZE, top + h))
    centre = (left + placement.x * w, top + placement.y * h)
    fitted = _fit(_as_rgba(picture), centre, placement.scale * w, clip, reducing_gap=2.0)
    if fitted is not None:
        # Premultiplied from here on: bending and blending then cannot bleed the colour of transparent pixels.
        layer, offset = fitted[0].convert("RGBa"), fitted[1]
        region = _intersect(_WARPS[template].bounds(_rect(layer, offset)), drawn.mask_box)
        if region is not None:
            warped = _WARPS[template].apply(layer, offset, region)
            _print_onto(result, warped, region, drawn)
    if size != TEMPLATE_SIZE:
        result = result.resize((size, size), Image.Resampling.LANCZOS)
    return result


def _print_onto(
    result: Image.Image, warped: Image.Image, region: tuple[int, int, int, int], drawn: art.TemplateArt
) -> None:
    """Ink over the product: the picture (premultiplied) lit by the shading map, where the mask lets print show."""
    x0, y0, x1, y1 = region
    ink = np.asarray(warped, dtype=np.float32) / 255  # "RGBa": colour already multiplied by alpha
    mask = drawn.mask[y0:y1, x0:x1] / np.float32(255)
    coverage = ink[..., 3] * mask
    lit = ink[..., :3] * (drawn.shading[y0:y1, x0:x1] * mask)[..., None]
    below = np.asarray(result.crop(region), dtype=np.float32) / 255
    out = below * (1 - coverage[..., None]) + lit
    result.paste(Image.fromarray(np.round(np.clip(out, 0, 1) * 255).astype(np.uint8), "RGB"), (x0, y0))


def _as_rgba(picture: Image.Image) -> Image.Image:
    """Any mode as RGBA, transparency kept: 16-bit and float grey scaled to 8 bits, CMYK through RGB."""
    image = picture
    if image.mode.startswith("I") or image.mode == "F":
        values = np.asarray(image).astype(np.float64)
        if image.mode == "F" and np.nanmax(values) <= 1.0:  # float pictures are usually 0..1
            values = values * 255
        elif image.mode.startswith("I;16") or np.nanmax(values) > 255:
            values = values / 257
        image = Image.fromarray(np.nan_to_num(np.clip(np.round(values), 0, 255)).astype(np.uint8), "L")
    elif image.mode == "CMYK":
        image = image.convert("RGB")
    return image if image.mode == "RGBA" else image.convert("RGBA")


def _fit(
    image: Image.Image, centre: tuple[float, float], width: float, clip: Rect, *, reducing_gap: float | None
) -> tuple[Image.Image, tuple[int, int]] | None:
    """The picture scaled to ``width`` px (aspect kept) around ``centre``, only the part inside ``clip``.

    Returns the RGBA image and its top-left corner, or None when nothing of it is inside. Only
    the visible part of the source is resampled, so a picture enlarged far past the area costs no more than one
    that fits it. A placed side under one pixel still draws one pixel: a 20,000 x 10 px strip stays visible.
    """
    height = width * image.height / image.width
    left, top = round(centre[0] - width / 2), round(centre[1] - height / 2)
    right, bottom = max(left + 1, round(centre[0] + width / 2)), max(top + 1, round(centre[1] + height / 2))
    x0, y0 = max(left, math.floor(clip[0])), max(top, math.floor(clip[1]))
    x1, y1 = min(right, math.ceil(clip[2])), min(bottom, math.ceil(clip[3]))
    if x1 <= x0 or y1 <= y0:
        return None
    sx, sy = image.width / (right - left), image.height / (bottom - top)
    source = ((x0 - left) * sx, (y0 - top) * sy, (x1 - left) * sx, (y1 - top) * sy)
    resized = image.resize(
        (x1 - x0, y1 - y0), Image.Resampling.LANCZOS, box=source, reducing_gap=reducing_gap
    )
    return resized, (x0, y0)


def _rect(layer: Image.Image, offset: tuple[int, int]) -> Rect:
    return offset[0], offset[1], offset[0] + layer.width, offset[1] + layer.height


def _intersect(a: Rect, b: Rect) -> tuple[int, int, int, int] | None:
    x0, y0 = max(math.floor(a[0]), math.floor(b[0]), 0), max(math.floor(a[1]), math.floor(b[1]), 0)
    x1 = min(math.ceil(a[2]), math.ceil(b[2]), TEMPLATE_SIZE)
    y1 = min(math.ceil(a[3]), math.ceil(b[3]), TEMPLATE_SIZE)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


# --- bending the print onto the product -----------------------------------------------------------------------


class _Flat:
    """Print that lies flat in the template's own plane (the pin's face): nothing to bend."""

    def bounds(self, rect: Rect) -> Rect:
        return rect

    def apply(
        self, layer: Image.Image, offset: tuple[int, int], region: tuple[int, int, int, int]
    ) -> Image.Image:
        x0, y0, x1, y1 = region
        return layer.crop((x0 - offset[0], y0 - offset[1], x1 - offset[0], y1 - offset[1]))


class _Perspective:
    """The flat print plane seen turned a little: the homography taking ``flat`` corners to ``view`` corners."""

    def __init__(self, flat: art.Quad, view: art.Quad) -> None:
        self.forward = _homography(flat, view)
        self.inverse = np.linalg.inv(self.forward)

    def bounds(self, rect: Rect) -> Rect:
        corners = np.array(
            [[rect[0], rect[1], 1], [rect[2], rect[1], 1], [rect[2], rect[3], 1], [rect[0], rect[3], 1]]
        )
        mapped = corners @ self.forward.T
        xs, ys = mapped[:, 0] / mapped[:, 2], mapped[:, 1] / mapped[:, 2]
        return xs.min(), ys.min(), xs.max(), ys.max()

    def apply(
        self, layer: Image.Image, offset: tuple[int, int], region: tuple[int, int, int, int]
    ) -> Image.Image:
        # Output pixel -> template -> flat plane -> layer pixel, as one matrix for Pillow.
        to_template = np.array([[1, 0, region[0]], [0, 1, region[1]], [0, 0, 1]], dtype=np.float64)
        to_layer = np.array([[1, 0, -offset[0]], [0, 1, -offset[1]], [0, 0, 1]], dtype=np.float64)
        matrix = to_layer @ self.inverse @ to_template
        coefficients = (matrix / matrix[2, 2]).flatten()[:8]
        size = (region[2] - region[0], region[3] - region[1])
        return layer.transform(
            size, Image.Transform.PERSPECTIVE, tuple(coefficients), Image.Resampling.BILINEAR
        )


class _Mesh:
    """A bend given as the map from each template pixel back to the flat print plane, drawn as small quads."""

    def __init__(self, inverse: Mapping, bounds: Callable[[Rect], Rect], cell: tuple[int, int]) -> None:
        self.inverse, self._bounds, self.cell = inverse, bounds, cell

    def bounds(self, rect: Rect) -> Rect:
        return self._bounds(rect)

    def apply(
        self, layer: Image.Image, offset: tuple[int, int], region: tuple[int, int, int, int]
    ) -> Image.Image:
        x0, y0, x1, y1 = region
        xs = np.unique(np.append(np.arange(x0, x1, self.cell[0]), x1)).astype(np.float64)
        ys = np.unique(np.append(np.arange(y0, y1, self.cell[1]), y1)).astype(np.float64)
        grid_x, grid_y = np.meshgrid(xs, ys)
        us, vs = self.inverse(grid_x, grid_y)
        us, vs = us - offset[0], vs - offset[1]
        mesh = []
        for j in range(len(ys) - 1):
            for i in range(len(xs) - 1):
                box = (int(xs[i] - x0), int(ys[j] - y0), int(xs[i + 1] - x0), int(ys[j + 1] - y0))
                quad = (
                    us[j, i], vs[j, i], us[j + 1, i], vs[j + 1, i],
                    us[j + 1, i + 1], vs[j + 1, i + 1], us[j, i + 1], vs[j, i + 1],
                )  # fmt: skip
                mesh.append((box, tuple(float(v) for v in quad)))
        return layer.transform((x1 - x0, y1 - y0), Image.Transform.MESH, mesh, Image.Resampling.BILINEAR)


def _homography(source: art.Quad, target: art.Quad) -> np.ndarray:
    rows: list[list[float]] = []
    values: list[float] = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend((u, v))
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64))
    return np.append(solution, 1.0).reshape(3, 3)


def _mug_inverse(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From the view back to the unrolled wrap: x = axis + R sin(angle), the ring's ellipse lowers the front."""
    angle = np.arcsin(np.clip((xs - art.MUG_AXIS_X) / art.MUG_RADIUS, -1, 1))
    facing = np.cos(angle)
    # y = v + ellipse(v) * facing with ellipse(v) = top + slope * (v - MUG_TOP), solved for v.
    slope = (art.MUG_ELLIPSE_BOTTOM - art.MUG_ELLIPSE_TOP) / (art.MUG_BOTTOM - art.MUG_TOP)
    vs = (ys - (art.MUG_ELLIPSE_TOP - slope * art.MUG_TOP) * facing) / (1 + slope * facing)
    return art.MUG_AXIS_X + art.MUG_RADIUS * angle, vs


def _mug_bounds(rect: Rect) -> Rect:
    def view_x(u: float) -> float:
        angle = np.clip((u - art.MUG_AXIS_X) / art.MUG_RADIUS, -np.pi / 2, np.pi / 2)
        return float(art.MUG_AXIS_X + art.MUG_RADIUS * np.sin(angle))

    return view_x(rect[0]) - 1, rect[1], view_x(rect[2]) + 1, rect[3] + art.MUG_ELLIPSE_BOTTOM + 2


_TSHIRT_SHIFT = (
    2200.0  # px of displacement per unit slope of the fold relief: about 5 px at the deepest folds
)
_TSHIRT_REACH = 8.0


def _tshirt_inverse(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The print slides a few pixels down the slopes of the folds, as if the cloth were pushed into them."""
    step = 2.0
    dx = art.tshirt_fold_height(xs + step, ys) - art.tshirt_fold_height(xs - step, ys)
    dy = art.tshirt_fold_height(xs, ys + step) - art.tshirt_fold_height(xs, ys - step)
    return xs + _TSHIRT_SHIFT * dx / (2 * step), ys + _TSHIRT_SHIFT * dy / (2 * step)


def _grown(rect: Rect) -> Rect:
    return rect[0] - _TSHIRT_REACH, rect[1] - _TSHIRT_REACH, rect[2] + _TSHIRT_REACH, rect[3] + _TSHIRT_REACH


_WARPS: dict[str, _Flat | _Perspective | _Mesh] = {
    "poster": _Perspective(art.POSTER_FLAT, art.POSTER_VIEW),
    "tshirt": _Mesh(_tshirt_inverse, _grown, (_MESH_CELL, _MESH_CELL)),
    "mug": _Mesh(_mug_inverse, _mug_bounds, (_MUG_COLUMN, 4 * _MESH_CELL)),
    "acrylic_stand": _Perspective(art.ACRYLIC_FLAT, art.ACRYLIC_VIEW),
    "enamel_pin": _Flat(),
}
