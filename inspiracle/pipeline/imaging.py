"""Decoding and derivatives of an uploaded image (WRK-2, WRK-3); its AI labels are read by provenance.py.

An earlier step has confirmed the type, size, pixel count and frame count from the bytes. Here the picture is
decoded once, at a reduced scale where the format allows it, turned upright, converted to sRGB RGB/RGBA and
stripped of every piece of metadata; the public derivatives (thumbnail, watermarked preview) are made from that
image only, so nothing of the original file's EXIF, GPS, XMP or ICC data can reach them.

What it costs, next to the same work done with Pillow directly, is measured by bench/pipeline_baseline.py;
the choices below (draft scale, filters, WebP effort) give their measured reasons.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageDraw, ImageFont

from inspiracle.pipeline.checks.idat import count_idat
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.threads import in_thread

try:
    from PIL import ImageCms

    _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except ImportError:  # Pillow built without littlecms: pixels keep their profile's colours.
    ImageCms = None  # type: ignore[assignment]  # mypy has no type for "a module or None"; uses check it

logger = logging.getLogger(__name__)

FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF")
PREVIEW_LONG_SIDE = 1600
THUMBNAIL_LONG_SIDE = 400
# Quality 80 is libwebp's default. Method (encoder effort) 0 instead of Pillow's default 4: on 1600 x 1200
# photos here method 4 took 3-4x as long (230-310 ms vs 60-80 ms) for files 5-10% smaller at the same SSIM and
# PSNR, and method 2 took twice as long with no better quality. At 400 px the method changed neither size nor
# quality (7.5 ms at method 0, 27 ms at method 4).
WEBP = {"quality": 80, "method": 0}
# Bicubic for the preview (Pillow's resize default): from a drafted 12 MP JPEG (2000 x 1500) it took ~85 ms
# here, Lanczos ~120 ms, bilinear ~57 ms but visibly softer. Lanczos for the 4x smaller thumbnail. Both after a
# box reduction by whole factors while the rest stays >= 2x (as Image.thumbnail() does): 8000 x 6000 to 1600
# took 240-340 ms instead of 500 ms; a drafted JPEG is never 2x its target, so it is resampled fairly.
PREVIEW_RESAMPLE = Image.Resampling.BICUBIC
THUMBNAIL_RESAMPLE = Image.Resampling.LANCZOS
REDUCING_GAP = 2.0
WATERMARK_OPACITY = 80  # of 255: visible on light and dark areas, unobtrusive
WATERMARK_ANGLE = 30


@dataclass(frozen=True)
class Derivatives:
    """The public copies of one image (WRK-3); bytes are WebP without any metadata."""

    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int
    preview: bytes
    preview_width: int
    preview_height: int
    hash_image: Image.Image  # the clean (unwatermarked) thumbnail, long side <= 512, for perceptual hashes


# --- decode -------------------------------------------------------------------------------------------------


def decode(path: Path, *, max_pixels: int, target: int = PREVIEW_LONG_SIDE) -> Image.Image:
    """The first frame of the image at ``path``, upright, in sRGB "RGB" or "RGBA", without metadata (WRK-2).

    A JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) whose long side is still at least ``target``.
    A PNG's IDAT stream is inflated through checks.idat, which refuses it as "damaged" when it holds more or
    less than the picture needs, with the reasons the structure check gives (it leaves that to this step).
    Raises FileRefused("too_many_pixels") above ``max_pixels`` and FileRefused("damaged") when decoding fails.
    """
    # Pillow warns above MAX_IMAGE_PIXELS and raises only above twice that: with the limit itself here it never
    # raises for an allowed image, and the explicit check below refuses everything above the limit.
    Image.MAX_IMAGE_PIXELS = max_pixels
    width: int | str = "?"  # until the header is read
    height: int | str = "?"
    try:
        # Opened from a file object of our own: closing it leaves the loaded pixels usable (Image.close() would
        # not), so an upright picture needs no copy of its 3-12 million pixels (issue 14).
        with path.open("rb") as file:
            im = Image.open(file, formats=FORMATS)
            width, height = im.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            if im.format in ("JPEG", "MPO") and max(width, height) > target:  # MPO: a JPEG with MPF data
                im.draft(None, _draft_request(im.size, target))
            if im.format == "PNG":
                count_idat(im)  # the one inflation of its pixel data, refused past the size it must have
            im.load()
            image = _upright(im)
        image = _to_srgb(image)
    except FileRefused:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(width, height, max_pixels) from None
    except Exception as exc:  # Pillow raises many types on bad data; none of them may reach the uploader.
        logger.info("decode failed for %s: %r", path.name, exc)
        raise FileRefused("damaged", detail=_damage_phrase(exc)) from None
    image.info = {}
    return image


def _too_many_pixels(width: int | str, height: int | str, max_pixels: int) -> FileRefused:
    return FileRefused("too_many_pixels", width=width, height=height, limit=f"{max_pixels / 1_000_000:g}")


def _damage_phrase(exc: Exception) -> str:
    if "truncated" in str(exc) or isinstance(exc, EOFError):
        return "the file ends before the picture does"
    return "the picture data cannot be read"


def _upright(image: Image.Image) -> Image.Image:
    """The loaded image turned as its EXIF (or XMP) orientation says (a new image), or itself when upright.
    Either way no metadata reaches a derivative: decode() empties ``info``, and the WebP writer takes EXIF, XMP
    and ICC data only from what save() is passed (imaging._webp passes none)."""
    try:
        method = _ORIENTATION.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception as exc:  # an unreadable EXIF block spoils the orientation, not the picture
        logger.info("orientation ignored: %r", exc)
        method = None
    return image.transpose(method) if method is not None else image


_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _draft_request(size: tuple[int, int], target: int) -> tuple[int, int]:
    """The size to ask draft() for: Pillow picks the largest scale s with size // s >= request on both sides,
    so the long side asks for exactly ``target`` and the short side for at most its share of it."""
    width, height = size
    scale = max(width, height) / target
    return max(1, int(width / scale)), max(1, int(height / scale))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Every mode to "RGB" or "RGBA", through the embedded ICC profile when there is one that is not sRGB."""
    icc = image.info.get("icc_profile")
    if image.mode in ("CMYK", "L") and icc:
        converted = _profile_to_srgb(image, icc, "RGB")
        if converted is not None:
            return converted
    if image.mode == "CMYK":
        # Pillow reads CMYK JPEGs with Adobe's inverted polarity, as Photoshop writes them.
        return image.convert("RGB")
    image = _to_rgb(image)
    if icc:
        image = _profile_to_srgb(image, icc, image.mode) or image
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGBA" or (image.mode == "RGB" and not image.has_transparency_data):
        return image
    if image.mode.startswith("I"):  # 16-bit ("I;16", "I;16B") or 32-bit ("I") grey
        values = np.asarray(image)
        if image.mode.startswith("I;16") or values.max() > 255:
            values = values >> 8
        image = Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))
    elif image.mode == "F":
        values = np.asarray(image)
        if np.nanmax(values) <= 1.0:  # float images are usually 0..1
            values = values * 255
        image = Image.fromarray(np.nan_to_num(np.clip(values, 0, 255)).astype(np.uint8))
    if image.has_transparency_data:  # LA, PA, P or RGB with a transparent colour
        return image.convert("RGBA")
    return image.convert("RGB")


def _profile_to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    """The image converted from its profile to sRGB, or None to keep the pixels as they are: for sRGB itself
    and for any profile that fails. The conversion costs about as much as the preview resize (~30 ms a
    megapixel here), so it is skipped when it would change nothing."""
    try:
        transform = _transform_to_srgb(icc, image.mode, mode)
        return transform.apply(image) if transform else None
    except Exception as exc:  # a broken or mismatched profile is no reason to refuse the picture
        logger.info("colour profile ignored: %r", exc)
        return None


@lru_cache(maxsize=8)  # photos from one camera or phone carry the same profile; building one takes ~5 ms
def _transform_to_srgb(icc: bytes, in_mode: str, out_mode: str):
    if ImageCms is None:
        return None
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    if ImageCms.getProfileDescription(profile).strip().lower().startswith("srgb"):
        return None
    # NOCACHE: littlecms's one-pixel cache is not safe when threads share a transform, and on photographs it
    # rarely hits (the transform took ~15% longer with it).
    return ImageCms.buildTransform(profile, _SRGB, in_mode, out_mode, flags=ImageCms.Flags.NOCACHE)


# --- derivatives ----------------------------------------------------------------------------------------------


def make_derivatives(
    image: Image.Image, *, watermark: str, clean_ready: Callable[[Image.Image], None] | None = None
) -> Derivatives:
    """Thumbnail (400 px) and watermarked preview (1600 px, never upscaled) as WebP, plus the clean thumbnail
    that the perceptual keys are taken from (WRK-3).

    ``image`` comes from decode(): its info is empty, and the WebP writer adds EXIF, XMP or ICC data only when
    it is passed them, which it never is here.

    ``clean_ready`` is called with a copy of the clean preview as soon as it exists, before the thumbnail, the
    watermark and the WebP encoding: the pipeline hands it to another thread for local features meanwhile
    (runner.py). Nothing here changes that copy afterwards.
    """
    preview = clean_preview(image)
    if preview is image:
        preview = image.copy()
    preview.info = {}
    if clean_ready is not None:
        clean_ready(preview.copy())
    # The thumbnail and the hash image come from the clean preview, before the watermark is drawn on it.
    size = _fit(preview.size, THUMBNAIL_LONG_SIDE)
    thumbnail = (
        preview.resize(size, THUMBNAIL_RESAMPLE, reducing_gap=REDUCING_GAP)
        if size != preview.size
        else preview.copy()
    )
    _draw_watermark(preview, watermark)
    return Derivatives(
        thumbnail=_webp(thumbnail),
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
        preview=_webp(preview),
        preview_width=preview.width,
        preview_height=preview.height,
        hash_image=thumbnail,
    )


def clean_preview(image: Image.Image) -> Image.Image:
    """The preview before its watermark (``image`` itself when it is no larger): what local features are
    taken from, here and in the search for copies, which decodes the original again (copy_search.py)."""
    size = _fit(image.size, PREVIEW_LONG_SIDE)
    return _preview_resize(image, size) if size != image.size else image


def _preview_resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The preview, resized in two halves side by side on two threads where that gives the very same pixels
    (issue 14): the largest step before the local features can start, and Pillow's resampling releases the GIL.

    Pillow's resize takes the source pixels around a box, not only inside it, so a half is the same as that half
    of the whole, as long as the two passes run in the same order and no box reduction comes first. That holds
    for RGB pictures at least as wide as high and less than twice ``REDUCING_GAP`` times the preview (checked on
    96 random sizes, and by test_imaging.py on the pinned Pillow); anything else is resized in one piece."""
    width, height = image.size
    if image.mode != "RGB" or height > width or width >= 2 * REDUCING_GAP * size[0] or size[0] < 64:
        return image.resize(size, PREVIEW_RESAMPLE, reducing_gap=REDUCING_GAP)
    cut = size[0] // 2
    middle = width * cut / size[0]
    box = (middle, 0, width, height)
    right = in_thread(
        "preview-resize", lambda: image.resize((size[0] - cut, size[1]), PREVIEW_RESAMPLE, box, REDUCING_GAP)
    )
    left = image.resize((cut, size[1]), PREVIEW_RESAMPLE, (0, 0, middle, height), REDUCING_GAP)
    preview = Image.new(image.mode, size)
    preview.paste(left, (0, 0))
    preview.paste(right.result(), (cut, 0))
    return preview


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    if max(width, height) <= long_side:
        return size
    scale = long_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", **WEBP)  # no exif=, xmp=, icc_profile=: the file carries pixels only
    return buffer.getvalue()


def _draw_watermark(image: Image.Image, text: str) -> None:
    """Tile the text diagonally over the whole image, in staggered rows, so no crop of a useful size is clean."""
    stamp = _stamp(text, max(10, round(max(image.size) / 40)))
    step_x, step_y = stamp.width + stamp.height // 2, stamp.height + stamp.height // 3
    for row, top in enumerate(range(-stamp.height // 2, image.height, step_y)):
        shift = (row % 2) * step_x // 2 - stamp.width // 2
        for left in range(shift, image.width, step_x):
            _place(image, stamp, left, top)


def _place(image: Image.Image, stamp: Image.Image, left: int, top: int) -> None:
    # Both clip a stamp that sticks out of the image. Compositing keeps the picture's own transparency, where
    # paste() would blend the stamp's alpha into the picture's alpha band.
    if image.mode == "RGBA":
        image.alpha_composite(stamp, (left, top))
    else:
        image.paste(stamp, (left, top), stamp)


@lru_cache(maxsize=64)
def _stamp(text: str, font_size: int) -> Image.Image:
    """The text in white with a dark outline, semi-transparent, turned; made once per text and size."""
    font = ImageFont.load_default(size=font_size)  # Pillow's own scalable font: no font files from the system
    stroke = max(1, font_size // 16)
    # Whole pixels: the box is typed float for fractional strokes, and this stroke is a whole number.
    left, top, right, bottom = (int(edge) for edge in font.getbbox(text, stroke_width=stroke))
    stamp = Image.new("RGBA", (right - left + 2 * stroke, bottom - top + 2 * stroke), (0, 0, 0, 0))
    ImageDraw.Draw(stamp).text(
        (stroke - left, stroke - top),
        text,
        font=font,
        fill=(255, 255, 255, WATERMARK_OPACITY),
        stroke_width=stroke,
        stroke_fill=(0, 0, 0, WATERMARK_OPACITY * 2 // 3),
    )
    return stamp.rotate(WATERMARK_ANGLE, Image.Resampling.BICUBIC, expand=True)
