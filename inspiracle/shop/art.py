"""The product template pictures for mockups (COM-4), drawn by code: nothing is downloaded, no image is committed.

Each template is a TEMPLATE_SIZE square picture of one product in a studio, made of three parts:

- ``base``: the product in the chosen colour ("#rrggbb": the fabric, the ceramic, the paper, the tint of the
  acrylic foot, the enamel of the pin face), lit, with its shadow;
- ``shading``: a float32 multiplier (about 0.6 to 1.15) that the renderer lays over the printed picture, so that
  the print takes the folds, the curvature highlight, the gloss or the paper sheen of the product;
- ``mask``: 0..1, where print may show (the mug's body, the pin's face, the poster sheet, ...).

The renderer (mockups.py) also needs each product's geometry to bend the print onto it; the constants for that
live here, beside the drawing they must agree with. Coordinates are template pixels, x to the right, y down.
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
    """One drawn template. Cached and shared: the arrays are read-only and the base must be copied to draw on."""

    base: Image.Image  # RGB
    shading: np.ndarray  # float32 (S, S)
    mask: np.ndarray  # float32 (S, S), 0..1
    mask_box: tuple[int, int, int, int]  # left, top, right, bottom of where the mask is not zero


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
    """The drawn template; ValueError for an unknown key or a colour that is not #rrggbb."""
    if key not in DRAWERS:
        raise ValueError(f"unknown template {key!r}; known: {', '.join(TEMPLATE_KEYS)}")
    return _cached_art(key, parse_colour(colour))


@lru_cache(maxsize=12)  # a page shows a few colours of a few products; one drawing costs 30-150 ms
def _cached_art(key: str, rgb: tuple[int, int, int]) -> TemplateArt:
    return DRAWERS[key](np.array(rgb, dtype=np.float32) / 255)


# --- shared drawing helpers -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
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


@lru_cache(maxsize=1)
def _studio() -> np.ndarray:
    studio = _backdrop((0.955, 0.952, 0.945), (0.86, 0.855, 0.845))
    studio.flags.writeable = False
    return studio


def _with_shadow(background: np.ndarray, shadow: np.ndarray, strength: float) -> np.ndarray:
    return background * (1 - strength * shadow)[..., None]


def _over(below: np.ndarray, coverage: np.ndarray, above: np.ndarray) -> np.ndarray:
    """``above`` laid over ``below`` where ``coverage`` says; only the rows and columns it covers are touched."""
    result = below.copy()
    rows, columns = np.nonzero(coverage.any(axis=1))[0], np.nonzero(coverage.any(axis=0))[0]
    if len(rows):
        window = np.s_[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
        c = coverage[window][..., None]
        top = above[window] if above.shape[:2] == coverage.shape else above
        result[window] = result[window] * (1 - c) + top * c
    return result


def _finish(picture: np.ndarray, shading: np.ndarray, mask: np.ndarray) -> TemplateArt:
    base = Image.fromarray(np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8), "RGB")
    shading = np.clip(shading, 0.6, 1.15).astype(np.float32)
    mask = np.clip(mask, 0, 1).astype(np.float32)
    shading.flags.writeable = False
    mask.flags.writeable = False
    rows, columns = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    box = (int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1)
    return TemplateArt(base=base, shading=shading, mask=mask, mask_box=box)


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
def _poster_geometry() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys = _grid()
    sheet = _polygon(POSTER_VIEW)
    # Hung a finger's width off the wall: a wide soft shadow down and right, a tight one at the edges.
    shadow = 0.3 * _blur(_shifted(sheet, 16, 22), 18) + 0.25 * _blur(_shifted(sheet, 2, 3), 3)
    wall = _with_shadow(_backdrop((0.93, 0.92, 0.9), (0.87, 0.86, 0.835)), np.clip(shadow, 0, 1), 1)
    u, v = (xs - 282) / 636, (ys - 150) / 900
    # Paper sheen: a broad soft highlight towards the light (top left), darker as the sheet turns away.
    shading = 0.99 + 0.07 * _gaussian(u, v, 0.3, 0.2, 0.55, 0.45) - 0.05 * v - 0.04 * u
    return wall, shading, sheet


def draw_poster(colour: np.ndarray) -> TemplateArt:
    wall, shading, sheet = _poster_geometry()
    paper = colour[None, None, :] * shading[..., None]
    return _finish(_over(wall, sheet, paper), shading, sheet)


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
def _tshirt_geometry() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
    background = _with_shadow(_studio(), shadow, 1)
    print_mask = np.clip(shirt - inside - collar, 0, 1)
    return background, shading, shirt, inside, print_mask


def draw_tshirt(colour: np.ndarray) -> TemplateArt:
    background, shading, shirt, inside, print_mask = _tshirt_geometry()
    cloth = colour[None, None, :] * shading[..., None]
    # Through the neck opening shows the inside of the back, in its own shade.
    cloth = _over(cloth, inside, colour[None, None, :] * 0.62 * shading[..., None])
    return _finish(_over(background, shirt, cloth), shading, print_mask)


# --- mug ------------------------------------------------------------------------------------------------------


def mug_ellipse(y: np.ndarray | float) -> np.ndarray | float:
    """Half-height of the ellipse a ring of the body at height ``y`` shows as."""
    t = (np.clip(y, MUG_TOP, MUG_BOTTOM) - MUG_TOP) / (MUG_BOTTOM - MUG_TOP)
    return MUG_ELLIPSE_TOP + (MUG_ELLIPSE_BOTTOM - MUG_ELLIPSE_TOP) * t


@lru_cache(maxsize=1)
def _mug_geometry() -> dict[str, np.ndarray]:
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
    return {
        "background": _with_shadow(_studio(), np.clip(shadow, 0, 1), 1),
        "body": body,
        "opening": opening,
        "rim": rim,
        "handle": handle,
        "front": front,
        "shading": shading,
        "tube": tube,
        "inside": inside,
        "gloss": (0.35 * np.exp(-(((n + 0.45) / 0.05) ** 2)) * body)[..., None],
    }


def draw_mug(colour: np.ndarray) -> TemplateArt:
    g = _mug_geometry()
    glaze = colour[None, None, :]
    picture = _over(g["background"], g["handle"], glaze * g["tube"][..., None])
    # The glaze reflects the light white, whatever its colour; on the print the shading map does that.
    picture = _over(picture, g["body"], glaze * g["shading"][..., None] + g["gloss"])
    picture = _over(picture, g["opening"], glaze * g["inside"][..., None])
    picture = _over(picture, g["rim"], np.minimum(glaze * 1.12 + 0.04, 1) * np.ones_like(picture))
    return _finish(picture, g["shading"], g["front"])


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
def _acrylic_geometry() -> dict[str, np.ndarray]:
    xs, ys = _grid()
    plate = _polygon(_rounded_quad(ACRYLIC_VIEW, 38))
    top_face = _polygon(_rounded_quad(((330, 828), (870, 828), (870, 898), (330, 898)), 30))
    front_face = np.clip(
        _polygon(_rounded_quad(((330, 862), (870, 862), (870, 934), (330, 934)), 30)) - top_face, 0, 1
    )
    foot = np.clip(top_face + front_face, 0, 1)
    edge = np.clip(plate - _polygon(_rounded_quad(_inset(ACRYLIC_VIEW, 5), 34)), 0, 1)
    foot_edge = np.clip(
        top_face - _polygon(_rounded_quad(((336, 832), (864, 832), (864, 894), (336, 894)), 26)), 0, 1
    )
    # Gloss: two diagonal streaks across the plate, the light's reflection in the acrylic.
    diagonal = (xs - 345) + 0.55 * (ys - 85)
    streaks = np.exp(-(((diagonal - 260) / 34) ** 2)) + 0.6 * np.exp(-(((diagonal - 350) / 14) ** 2))
    shading = 0.98 + 0.14 * streaks - 0.04 * (ys - 85) / 780
    shadow = 0.4 * _blur(_ellipse(620, 930, 330, 34), 20)
    return {
        "background": _with_shadow(_studio(), np.clip(shadow, 0, 1), 1),
        "plate": plate,
        "edge": edge,
        "top_face": top_face,
        "front_face": front_face,
        "foot": foot,
        "foot_edge": foot_edge,
        "streaks": streaks,
        "shading": shading,
    }


def _inset(quad: Quad, by: float) -> Quad:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return ((x0 + by, y0 + by), (x1 - by, y1 + by), (x2 - by, y2 - by), (x3 + by, y3 - by))


def draw_acrylic_stand(colour: np.ndarray) -> TemplateArt:
    g = _acrylic_geometry()
    tint = colour[None, None, :]
    background = g["background"]
    # The foot is tinted acrylic: the studio seen through it, coloured, its front face thicker and deeper.
    picture = _over(background, g["top_face"], background * 0.55 + tint * 0.42)
    picture = _over(picture, g["front_face"], background * 0.3 + tint * 0.58)
    picture = _over(picture, g["foot_edge"], np.minimum(picture + 0.22, 1))
    # The plate is clear: what is behind it, faintly cooler, with the gloss on top and bright cut edges.
    clear = picture * np.array([0.975, 0.985, 0.99], np.float32) + 0.12 * g["streaks"][..., None]
    picture = _over(picture, g["plate"], clear)
    picture = _over(picture, g["edge"], np.minimum(picture * 0.9 + 0.2, 1))
    return _finish(picture, g["shading"], g["plate"])


# --- enamel pin -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pin_geometry() -> dict[str, np.ndarray]:
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
    return {
        "background": _with_shadow(_studio(), np.clip(shadow, 0, 1), 1),
        "face": face,
        "rim": rim,
        "metal": metal,
        "shading": shading,
        "gloss": (0.18 * highlight * face)[..., None],
    }


_GOLD = np.array([0.93, 0.78, 0.42], np.float32)


def draw_enamel_pin(colour: np.ndarray) -> TemplateArt:
    g = _pin_geometry()
    picture = _over(g["background"], g["face"], colour[None, None, :] * g["shading"][..., None] + g["gloss"])
    picture = _over(picture, g["rim"], _GOLD[None, None, :] * g["metal"][..., None])
    return _finish(picture, g["shading"], g["face"])


DRAWERS: dict[str, Callable[[np.ndarray], TemplateArt]] = {
    "poster": draw_poster,
    "tshirt": draw_tshirt,
    "mug": draw_mug,
    "acrylic_stand": draw_acrylic_stand,
    "enamel_pin": draw_enamel_pin,
}
