"""The product template pictures for mockups (COM-4), drawn by code: nothing is downloaded, no image is committed.

Each template is a TEMPLATE_SIZE square picture of one product in a studio, made of three parts:

- ``base``: the product in the chosen colour ("#rrggbb": the fabric, the ceramic, the paper, the tint of the
  acrylic foot, the enamel of the pin face), lit, with its shadow;
- ``shading``: a float32 multiplier (about 0.6 to 1.15) that the renderer lays over the printed picture, so that
  the print takes the folds, the curvature highlight, the gloss or the paper sheen of the product;
- ``mask``: 0..255, where print may show (the mug's body, the pin's face, the poster sheet, ...).

Each template is drawn once per process (``draw_<key>``, 0.2-0.8 s) as a picture linear in the colour, so a
colour costs one multiply-add (``template_art``, about 30 ms, cached for the last few). The renderer
(mockups.py) also needs each product's geometry to bend the print onto it; the constants for that live here,
beside the drawing they must agree with. Coordinates are template pixels, x to the right, y down.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw, ImageFilter

TEMPLATE_SIZE = 1200
TEMPLATE_KEYS = ("poster", "tshirt", "mug", "acrylic_stand", "enamel_pin")
TEMPLATE_LABELS = {
    "poster": gettext_lazy("Poster"),
    "tshirt": gettext_lazy("T-shirt"),
    "mug": gettext_lazy("Mug"),
    "acrylic_stand": gettext_lazy("Acrylic stand"),
    "enamel_pin": gettext_lazy("Enamel pin"),
}

S = TEMPLATE_SIZE
Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top left, top right, bottom right, bottom left

# Poster: the sheet hangs on a wall turned a little, its right edge farther away. The print plane is the flat
# rectangle POSTER_FLAT; the renderer maps it onto the drawn corners with the same perspective.
POSTER_BOX = (282, 150, 636, 900)  # A2, 420 x 594 mm: 636 / 900 = 0.7067 = 420 / 594 to the pixel
POSTER_FLAT: Quad = ((282, 150), (918, 150), (918, 1050), (282, 1050))
POSTER_VIEW: Quad = ((290, 150), (906, 166), (906, 1034), (290, 1050))

# Acrylic stand: a clear plate in a foot, seen from slightly above, so the plate's top is a little narrower.
ACRYLIC_BOX = (370, 110, 460, 690)  # 80 x 120 mm
ACRYLIC_FLAT: Quad = ((345, 85), (855, 85), (855, 865), (345, 865))
ACRYLIC_VIEW: Quad = ((356, 85), (844, 85), (855, 865), (345, 865))

# T-shirt, front view, about 1.2 px per mm: a 300 x 400 mm chest print is 360 x 480 px.
TSHIRT_BOX = (420, 300, 360, 480)

# Mug: the 200 x 85 mm wrap unrolled at the body's own scale (5.645 px per mm), centred on the axis. The renderer
# rolls it onto the cylinder: the middle faces the viewer, the rest squeezes towards the sides and past them
# goes out of sight. Seen from slightly above, a ring at height y shows as an ellipse whose half-height grows
# from the rim to the foot.
MUG_BOX = (6, 360, 1129, 480)
MUG_AXIS_X = 6 + 1129 / 2
MUG_RADIUS = 41 * 1129 / 200  # an 82 mm body
MUG_TOP, MUG_BOTTOM = 332.0, 868.0  # 95 mm tall; the wrap leaves 5 mm at the rim and at the foot
MUG_ELLIPSE_TOP, MUG_ELLIPSE_BOTTOM = 0.16 * MUG_RADIUS, 0.2 * MUG_RADIUS

# Enamel pin: round, a raised metal rim around the enamel face; print shows on the face only.
PIN_CENTRE = (600.0, 585.0)
PIN_FACE_RADIUS, PIN_RIM = 360.0, 32.0
PIN_BOX = (240, 225, 720, 720)

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SUPERSAMPLE = 2  # shapes are drawn at twice the size and reduced: smooth edges


@dataclass(frozen=True)
class AreaSpec:
    """A print area: where it sits on the template (x, y, w, h in template pixels) and its size in print."""

    name: str
    box: tuple[int, int, int, int]
    width_mm: int
    height_mm: int
    dpi: int


@dataclass(frozen=True, eq=False)
class TemplateArt:
    """One template in one colour. Cached and shared: the arrays are read-only, the base is copied to draw on."""

    base: Image.Image  # RGB, the product in its colour
    shading: np.ndarray  # float32 (S, S), multiplies the print
    mask: np.ndarray  # uint8 (S, S), 0..255: where print shows
    mask_box: tuple[int, int, int, int]  # left, top, right, bottom of where the mask is not zero


@dataclass(frozen=True, eq=False)
class Drawing:
    """A template drawn once for all colours: every pixel of it is ``fixed + per_colour * colour``.

    Everything the colour touches (cloth, glaze, paper, tinted acrylic, enamel) is lit and blended linearly, so
    one drawing serves every colour and a new colour costs one multiply-add instead of a new drawing.
    """

    fixed: np.ndarray  # uint8 (S, S, 3)
    per_colour: np.ndarray  # float16 (S, S)
    shading: np.ndarray  # float32 (S, S)
    mask: np.ndarray  # uint8 (S, S)
    mask_box: tuple[int, int, int, int]


def default_print_areas(key: str) -> list[AreaSpec]:
    areas = {
        "poster": [AreaSpec("front", POSTER_BOX, 420, 594, 150)],
        "tshirt": [AreaSpec("front", TSHIRT_BOX, 300, 400, 150)],
        "mug": [AreaSpec("wrap", MUG_BOX, 200, 85, 200)],
        "acrylic_stand": [AreaSpec("front", ACRYLIC_BOX, 80, 120, 300)],
        "enamel_pin": [AreaSpec("face", PIN_BOX, 25, 25, 600)],
    }
    if key not in areas:
        raise ValueError(f"unknown template {key!r}; known: {', '.join(TEMPLATE_KEYS)}")
    return areas[key]


def parse_colour(colour: str) -> tuple[int, int, int]:
    if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
        raise ValueError(f"a colour is written #rrggbb, not {colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def template_art(key: str, colour: str) -> TemplateArt:
    """The template in ``colour``; ValueError for an unknown key or a colour that is not #rrggbb."""
    if key not in DRAWERS:
        raise ValueError(f"unknown template {key!r}; known: {', '.join(TEMPLATE_KEYS)}")
    return _coloured(key, parse_colour(colour))


@lru_cache(maxsize=10)  # the colours of a few products in one worker: 4 MB each, 30 ms to make again
def _coloured(key: str, rgb: tuple[int, int, int]) -> TemplateArt:
    drawing = DRAWERS[key]()
    colour = np.array(rgb, dtype=np.float32) / 255
    pixels = drawing.fixed / np.float32(255) + drawing.per_colour[..., None].astype(np.float32) * colour
    base = Image.fromarray(np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8), "RGB")
    return TemplateArt(base=base, shading=drawing.shading, mask=drawing.mask, mask_box=drawing.mask_box)


# --- shared drawing helpers -----------------------------------------------------------------------------------


def _grid() -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.mgrid[0:S, 0:S].astype(np.float32)
    return xs, ys


def _shape(draw: Callable[[ImageDraw.ImageDraw, float], None]) -> np.ndarray:
    """A 0..1 coverage mask; ``draw`` gets the drawing surface and the factor to multiply coordinates by."""
    image = Image.new("L", (S * _SUPERSAMPLE, S * _SUPERSAMPLE), 0)
    draw(ImageDraw.Draw(image), _SUPERSAMPLE)
    return np.asarray(image.reduce(_SUPERSAMPLE), dtype=np.float32) / 255


def _polygon(points: tuple[Point, ...] | list[Point]) -> np.ndarray:
    return _shape(lambda d, k: d.polygon([(x * k, y * k) for x, y in points], fill=255))


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    return _shape(
        lambda d, k: d.ellipse(((cx - rx) * k, (cy - ry) * k, (cx + rx) * k, (cy + ry) * k), fill=255)
    )


def _blur(mask: np.ndarray, radius: float) -> np.ndarray:
    image = Image.fromarray(np.round(mask * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(radius))
    return np.asarray(image, dtype=np.float32) / 255


def _shifted(mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    return np.roll(mask, (dy, dx), axis=(0, 1))


def _backdrop(top: tuple[float, float, float], bottom: tuple[float, float, float]) -> np.ndarray:
    """A seamless studio sweep: lighter at the top, a soft vignette towards the corners."""
    column = np.arange(S, dtype=np.float32)
    t = ((column / S) ** 1.3)[:, None, None]
    colour = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t  # (S, 1, 3)
    across = ((column - S * 0.5) / (S * 0.6)) ** 2
    down = ((column - S * 0.4) / (S * 0.7)) ** 2
    vignette = 1 - 0.07 * (across[None, :] + down[:, None])
    return colour * vignette[..., None]


def _studio() -> np.ndarray:
    return _backdrop((0.955, 0.952, 0.945), (0.86, 0.855, 0.845))


def _with_shadow(background: np.ndarray, shadow: np.ndarray) -> np.ndarray:
    return background * (1 - shadow)[..., None]


@dataclass
class _Paint:
    """A picture being drawn, as ``fixed + per_colour * colour`` (see Drawing)."""

    fixed: np.ndarray  # float32 (S, S, 3)
    per_colour: np.ndarray  # float32 (S, S)

    @classmethod
    def of(cls, background: np.ndarray) -> "_Paint":
        return cls(background.astype(np.float32), np.zeros((S, S), np.float32))


def _window(coverage: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns ``coverage`` touches: blending only there keeps drawing fast."""
    rows, columns = np.nonzero(coverage.any(axis=1))[0], np.nonzero(coverage.any(axis=0))[0]
    if not len(rows):
        return None
    return slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1)


def _part(value: np.ndarray | float, window: tuple[slice, slice]) -> np.ndarray | float:
    return value[window] if isinstance(value, np.ndarray) and value.shape[:2] == (S, S) else value


def _lay(
    paint: _Paint,
    coverage: np.ndarray,
    *,
    fixed: np.ndarray | float = 0.0,
    per_colour: np.ndarray | float = 0.0,
) -> None:
    """Lay ``fixed + per_colour * colour`` over the paint where ``coverage`` says."""
    window = _window(coverage)
    if window is None:
        return
    c = coverage[window]
    paint.fixed[window] = (
        paint.fixed[window] * (1 - c[..., None]) + np.asarray(_part(fixed, window)) * c[..., None]
    )
    paint.per_colour[window] = paint.per_colour[window] * (1 - c) + np.asarray(_part(per_colour, window)) * c


def _filter(paint: _Paint, coverage: np.ndarray, *, gain: float, lift: np.ndarray | float) -> None:
    """What is already there, seen through something: times ``gain``, plus ``lift`` of light."""
    window = _window(coverage)
    if window is None:
        return
    c = coverage[window]
    fixed = paint.fixed[window]
    paint.fixed[window] = (
        fixed * (1 - c[..., None]) + (fixed * gain + np.asarray(_part(lift, window))) * c[..., None]
    )
    paint.per_colour[window] *= 1 - c + gain * c


def _drawing(paint: _Paint, shading: np.ndarray, mask: np.ndarray) -> Drawing:
    fixed = np.round(np.clip(paint.fixed, 0, 1) * 255).astype(np.uint8)
    per_colour = paint.per_colour.astype(np.float16)
    shading = np.clip(shading, 0.6, 1.15).astype(np.float32)
    mask_bytes = np.round(np.clip(mask, 0, 1) * 255).astype(np.uint8)
    for array in (fixed, per_colour, shading, mask_bytes):
        array.flags.writeable = False
    window = _window(mask_bytes)
    assert window is not None, "every template has somewhere to print"
    box = (int(window[1].start), int(window[0].start), int(window[1].stop), int(window[0].stop))
    return Drawing(fixed=fixed, per_colour=per_colour, shading=shading, mask=mask_bytes, mask_box=box)


def _ridge(
    xs: np.ndarray, ys: np.ndarray, segment: tuple[float, float, float, float], width: float
) -> np.ndarray:
    """1 on the segment, falling off as a Gaussian of the distance from it."""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy), 0, 1)
    return np.exp(-((xs - x0 - t * dx) ** 2 + (ys - y0 - t * dy) ** 2) / (width * width))


def _ridge_map(segment: tuple[float, float, float, float], width: float) -> np.ndarray:
    """``_ridge`` over the whole template, computed only near the segment (three widths out it is nothing)."""
    x0, y0, x1, y1 = segment
    reach = 3 * width
    left, right = max(0, int(min(x0, x1) - reach)), min(S, int(max(x0, x1) + reach) + 1)
    top, bottom = max(0, int(min(y0, y1) - reach)), min(S, int(max(y0, y1) + reach) + 1)
    xs, ys = _grid()
    result = np.zeros((S, S), np.float32)
    window = np.s_[top:bottom, left:right]
    result[window] = _ridge(xs[window], ys[window], segment, width)
    return result


def _gaussian(xs: np.ndarray, ys: np.ndarray, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    return np.exp(-(((xs - cx) / rx) ** 2) - ((ys - cy) / ry) ** 2)


# --- poster ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def draw_poster() -> Drawing:
    """A sheet of paper on a wall, turned a little; the colour is the paper's."""
    xs, ys = _grid()
    sheet = _polygon(POSTER_VIEW)
    # Hung a finger's width off the wall: a wide soft shadow down and right, a tight one at the edges.
    shadow = 0.3 * _blur(_shifted(sheet, 16, 22), 18) + 0.25 * _blur(_shifted(sheet, 2, 3), 3)
    wall = _with_shadow(_backdrop((0.93, 0.92, 0.9), (0.87, 0.86, 0.835)), np.clip(shadow, 0, 1))
    u, v = (xs - 282) / 636, (ys - 150) / 900
    # Paper sheen: a broad soft highlight towards the light (top left), darker as the sheet turns away.
    shading = 0.99 + 0.07 * _gaussian(u, v, 0.3, 0.2, 0.55, 0.45) - 0.05 * v - 0.04 * u
    paint = _Paint.of(wall)
    _lay(paint, sheet, per_colour=shading)
    return _drawing(paint, shading, sheet)


# --- T-shirt --------------------------------------------------------------------------------------------------

# Folds as (segment, width, depth): negative depth a crease, positive a ridge the light catches.
_FOLDS: tuple[tuple[tuple[float, float, float, float], float, float], ...] = (
    ((298, 445, 410, 600), 30, -0.1),
    ((320, 430, 430, 575), 18, 0.05),
    ((902, 450, 800, 590), 32, -0.09),
    ((885, 435, 785, 570), 18, 0.04),
    ((440, 780, 470, 1010), 36, -0.07),
    ((475, 770, 505, 1005), 22, 0.04),
    ((770, 740, 745, 1010), 40, -0.08),
    ((650, 860, 625, 1012), 28, -0.05),
    ((190, 330, 300, 430), 22, -0.07),
    ((1010, 330, 900, 420), 22, -0.06),
    ((560, 640, 700, 700), 60, 0.03),
)
_NECK_CENTRE, _NECK_HALF_WIDTH, _NECK_FRONT_DROP, _NECK_BACK_DROP = (600.0, 150.0), 108.0, 100.0, 22.0


def tshirt_fold_height(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The fold relief as a height field (0 flat); the renderer bends the print along its slopes."""
    return sum(
        (depth * _ridge(xs, ys, segment, width) for segment, width, depth in _FOLDS), np.zeros_like(xs)
    )


def _neckline(drop: float, steps: int = 24) -> list[Point]:
    """The neck opening's edge from the left shoulder to the right one, ``drop`` px below at the middle."""
    cx, cy = _NECK_CENTRE
    angles = np.linspace(np.pi, 0, steps)
    return [(cx + _NECK_HALF_WIDTH * np.cos(a), cy + drop * np.sin(a)) for a in angles]


def _tshirt_outline() -> list[Point]:
    right = [
        (876, 195),
        (1068, 339),
        (946, 502),
        (912, 430),
        (915, 720),
        (918, 1012),
        (760, 1017),
        (600, 1020),
    ]
    left = [(S - x, y) for x, y in reversed(right[:-1])]
    return [*right, *left, *_neckline(_NECK_BACK_DROP)]


@lru_cache(maxsize=1)
def draw_tshirt() -> Drawing:
    """A T-shirt laid flat, front up: sleeves, a ribbed collar, seams, folds; the colour is the cloth's."""
    xs, ys = _grid()
    shirt = _polygon(_tshirt_outline())
    inside = _polygon([*_neckline(_NECK_BACK_DROP), *reversed(_neckline(_NECK_FRONT_DROP))])
    collar = np.clip(
        _polygon([*_neckline(_NECK_FRONT_DROP), *reversed(_neckline(_NECK_FRONT_DROP + 24))]), 0, 1
    )
    cx, cy = _NECK_CENTRE
    seams = np.zeros_like(xs)
    for sign in (-1, 1):  # armhole seams, from the shoulder point down to the underarm
        seams += _ridge_map((cx + sign * 272, 200, cx + sign * 305, 428), 2.2)
    hems = _ridge_map((290, 994, 910, 994), 1.6)
    for sign in (-1, 1):
        hems += _ridge_map((cx + sign * 450, 360, cx + sign * 330, 486), 1.6)
    collar_seam = np.exp(
        -(
            ((ys - cy - (_NECK_FRONT_DROP + 25) * np.sqrt(np.clip(1 - ((xs - cx) / 108) ** 2, 0, 1))) / 1.8)
            ** 2
        )
    )
    collar_seam *= np.abs(xs - cx) < _NECK_HALF_WIDTH
    rng = np.random.default_rng(7)  # the same knit every time
    knit = _blur(np.clip(0.5 + 0.12 * rng.standard_normal((S, S)).astype(np.float32), 0, 1), 0.7) - 0.5
    light = 0.99 - 0.07 * (xs / S) - 0.05 * (ys / S)
    roundness = 0.82 + 0.18 * _blur(shirt, 22)  # the body turns away at its edges
    folds = sum(
        (depth * _ridge_map(segment, width) for segment, width, depth in _FOLDS), np.zeros((S, S), np.float32)
    )
    shading = light * roundness * (1 + folds) * (1 + 0.25 * knit)
    shading *= 1 - 0.2 * np.clip(seams + hems + collar_seam, 0, 1)
    shadow = np.clip(0.35 * _blur(_shifted(shirt, 8, 16), 16), 0, 1)
    paint = _Paint.of(_with_shadow(_studio(), shadow))
    _lay(paint, shirt, per_colour=shading)
    _lay(paint, inside, per_colour=0.62 * shading)  # through the neck opening: the inside of the back
    return _drawing(paint, shading, np.clip(shirt - inside - collar, 0, 1))


# --- mug ------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def draw_mug() -> Drawing:
    """A ceramic mug seen from slightly above, handle to the right; the colour is the glaze's."""
    xs, ys = _grid()
    cx, r = MUG_AXIS_X, MUG_RADIUS
    n = np.clip((xs - cx) / r, -1, 1)
    facing = np.sqrt(1 - n * n)
    across = np.abs(xs - cx) <= r
    top_front = MUG_TOP + MUG_ELLIPSE_TOP * facing
    bottom_front = MUG_BOTTOM + MUG_ELLIPSE_BOTTOM * facing

    def draw_body(d: ImageDraw.ImageDraw, k: float) -> None:
        d.rectangle(((cx - r) * k, MUG_TOP * k, (cx + r) * k, MUG_BOTTOM * k), fill=255)
        for y, half in ((MUG_TOP, MUG_ELLIPSE_TOP), (MUG_BOTTOM, MUG_ELLIPSE_BOTTOM)):
            d.ellipse(((cx - r) * k, (y - half) * k, (cx + r) * k, (y + half) * k), fill=255)

    body = _shape(draw_body)
    lip = 7.0
    opening = _ellipse(cx, MUG_TOP, r - lip, MUG_ELLIPSE_TOP - lip * 0.18)
    # The print stops a little above the foot, where the glaze rounds under.
    front = np.clip((ys - top_front) * across, 0, 1) * np.clip((bottom_front - 6 - ys) * across, 0, 1)
    handle_y, handle_x = MUG_TOP + 0.47 * (MUG_BOTTOM - MUG_TOP), cx + r - 18
    outer_rx, outer_ry, inner_rx, inner_ry = 158.0, 190.0, 106.0, 132.0
    handle = (
        _ellipse(handle_x, handle_y, outer_rx, outer_ry) - _ellipse(handle_x, handle_y, inner_rx, inner_ry)
    ) * (xs > cx + r * 0.8)
    handle = np.clip(handle, 0, 1)
    # A porcelain cylinder lit from the front left: diffuse falloff, a bright vertical streak, a rim light.
    diffuse = np.clip(-0.38 * n + 0.92 * facing, 0, 1)
    shading = (
        0.6
        + 0.42 * diffuse
        + 0.16 * np.exp(-(((n + 0.45) / 0.08) ** 2))
        + 0.05 * np.exp(-(((n - 0.82) / 0.06) ** 2))
    )
    shading = shading * (1 - 0.05 * (ys - MUG_TOP) / (MUG_BOTTOM - MUG_TOP))
    # The handle as a bent tube: light along its middle, darker at both edges.
    rho = np.sqrt(
        ((xs - handle_x) / ((outer_rx + inner_rx) / 2)) ** 2
        + ((ys - handle_y) / ((outer_ry + inner_ry) / 2)) ** 2
    )
    across_tube = np.clip((rho - 0.7) / 0.6, 0, 1)
    tube = 0.62 + 0.5 * np.sin(np.pi * across_tube) * (0.75 - 0.25 * (ys - handle_y) / outer_ry)
    # Inside: the back wall lit, darker down towards the bottom hidden behind the lip.
    inside = 0.5 + 0.35 * np.clip((MUG_TOP + MUG_ELLIPSE_TOP - ys) / (2 * MUG_ELLIPSE_TOP), 0, 1) - 0.1 * n
    rim = np.clip(_ellipse(cx, MUG_TOP, r, MUG_ELLIPSE_TOP) - opening, 0, 1)
    shadow = 0.45 * _blur(_ellipse(cx + 40, MUG_BOTTOM + MUG_ELLIPSE_BOTTOM - 8, r + 110, 46), 24)
    shadow += 0.35 * _blur(_ellipse(cx, MUG_BOTTOM + MUG_ELLIPSE_BOTTOM - 12, r - 10, 18), 5)
    paint = _Paint.of(_with_shadow(_studio(), np.clip(shadow, 0, 1)))
    _lay(paint, handle, per_colour=tube)
    # The glaze reflects the light white, whatever its colour; on the print the shading map does that.
    gloss = 0.35 * np.exp(-(((n + 0.45) / 0.05) ** 2))
    _lay(paint, body, fixed=gloss[..., None], per_colour=shading)
    _lay(paint, opening, per_colour=inside)
    _lay(paint, rim, fixed=0.1, per_colour=0.9)
    return _drawing(paint, shading, front)


# --- acrylic stand --------------------------------------------------------------------------------------------


def _rounded_quad(quad: Quad, radius: float, steps: int = 10) -> list[Point]:
    """The outline of a rectangle with rounded corners, its corners moved to ``quad`` (bilinearly)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad

    def at(u: float, v: float) -> Point:
        top = (x0 + (x1 - x0) * u, y0 + (y1 - y0) * u)
        bottom = (x3 + (x2 - x3) * u, y3 + (y2 - y3) * u)
        return top[0] + (bottom[0] - top[0]) * v, top[1] + (bottom[1] - top[1]) * v

    width, height = x1 - x0, y3 - y0
    ru, rv = radius / width, radius / height
    corners = ((1 - ru, rv, -90), (1 - ru, 1 - rv, 0), (ru, 1 - rv, 90), (ru, rv, 180))
    points = []
    for cu, cv, start in corners:
        for a in np.radians(np.linspace(start, start + 90, steps)):
            points.append(at(cu + ru * np.cos(a), cv + rv * np.sin(a)))
    return points


@lru_cache(maxsize=1)
def draw_acrylic_stand() -> Drawing:
    """A clear acrylic plate standing in a foot; the colour tints the foot."""
    xs, ys = _grid()
    plate = _polygon(_rounded_quad(ACRYLIC_VIEW, 38))
    top_face = _polygon(_rounded_quad(((330, 828), (870, 828), (870, 898), (330, 898)), 30))
    front_face = np.clip(
        _polygon(_rounded_quad(((330, 862), (870, 862), (870, 934), (330, 934)), 30)) - top_face, 0, 1
    )
    edge = np.clip(plate - _polygon(_rounded_quad(_inset(ACRYLIC_VIEW, 5), 34)), 0, 1)
    foot_edge = np.clip(
        top_face - _polygon(_rounded_quad(((336, 832), (864, 832), (864, 894), (336, 894)), 26)), 0, 1
    )
    # Gloss: two diagonal streaks across the plate, the light's reflection in the acrylic.
    diagonal = (xs - 345) + 0.55 * (ys - 85)
    streaks = np.exp(-(((diagonal - 260) / 34) ** 2)) + 0.6 * np.exp(-(((diagonal - 350) / 14) ** 2))
    shading = 0.98 + 0.14 * streaks - 0.04 * (ys - 85) / 780
    shadow = 0.4 * _blur(_ellipse(620, 930, 330, 34), 20)
    background = _with_shadow(_studio(), np.clip(shadow, 0, 1))
    paint = _Paint.of(background)
    # The foot is tinted acrylic: the studio seen through it, coloured, its front face thicker and deeper.
    _lay(paint, top_face, fixed=background * 0.55, per_colour=0.42)
    _lay(paint, front_face, fixed=background * 0.3, per_colour=0.58)
    _filter(paint, foot_edge, gain=0.8, lift=0.2)
    # The plate is clear: what is behind it, a shade darker, with the gloss on top and bright cut edges.
    _filter(paint, plate, gain=0.98, lift=0.12 * streaks[..., None])
    _filter(paint, edge, gain=0.85, lift=0.2)
    return _drawing(paint, shading, plate)


def _inset(quad: Quad, by: float) -> Quad:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return ((x0 + by, y0 + by), (x1 - by, y1 + by), (x2 - by, y2 - by), (x3 + by, y3 - by))


# --- enamel pin -----------------------------------------------------------------------------------------------


_GOLD = np.array([0.93, 0.78, 0.42], np.float32)


@lru_cache(maxsize=1)
def draw_enamel_pin() -> Drawing:
    """A round enamel pin with a raised gold rim; the colour is the face's enamel."""
    xs, ys = _grid()
    cx, cy = PIN_CENTRE
    outer = PIN_FACE_RADIUS + PIN_RIM
    face = _ellipse(cx, cy, PIN_FACE_RADIUS, PIN_FACE_RADIUS)
    disc = _ellipse(cx, cy, outer, outer)
    rim = np.clip(disc - face, 0, 1)
    r = np.hypot(xs - cx, ys - cy)
    towards_light = ((cx - xs) * 0.6 + (cy - ys) * 0.8) / np.maximum(r, 1)  # light from the top left
    # Polished metal: a rounded profile across the rim, bright where it faces the light, dark where it turns away.
    across = np.clip((r - PIN_FACE_RADIUS) / PIN_RIM, 0, 1)
    profile = np.sin(np.pi * across)
    metal = (
        0.45
        + 0.45 * profile * (0.65 + 0.35 * towards_light)
        + 0.5 * profile**8 * np.clip(towards_light, 0, 1) ** 6
    )
    # The raised rim shades the face's edge towards the light; the glossy enamel catches one soft highlight.
    rim_shade = np.exp(-np.clip(PIN_FACE_RADIUS - r, 0, None) / 12) * (0.55 + 0.45 * towards_light)
    highlight = _gaussian(xs, ys, cx - 150, cy - 170, 120, 80)
    shading = 1.0 - 0.3 * np.clip(rim_shade, 0, 1) + 0.15 * highlight - 0.06 * (r / PIN_FACE_RADIUS) ** 2
    shadow = 0.4 * _blur(_shifted(disc, 14, 22), 18) + 0.2 * _blur(_shifted(disc, 3, 4), 3)
    paint = _Paint.of(_with_shadow(_studio(), np.clip(shadow, 0, 1)))
    _lay(paint, face, fixed=(0.18 * highlight)[..., None], per_colour=shading)
    _lay(paint, rim, fixed=_GOLD * metal[..., None])
    return _drawing(paint, shading, face)


DRAWERS: dict[str, Callable[[], Drawing]] = {
    "poster": draw_poster,
    "tshirt": draw_tshirt,
    "mug": draw_mug,
    "acrylic_stand": draw_acrylic_stand,
    "enamel_pin": draw_enamel_pin,
}
