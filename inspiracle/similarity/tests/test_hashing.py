import io
from functools import cache
from pathlib import Path

import imagehash
import pytest
import skimage.data
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from inspiracle.similarity.hashing import Fingerprint, distance, fingerprint, to_signed, to_unsigned
from inspiracle.similarity.index import NEAR_DISTANCE

SAMPLES = Path(skimage.data.__file__).parent  # pictures bundled with scikit-image; nothing is downloaded


@cache
def picture(name: str) -> Image.Image:
    with Image.open(SAMPLES / name) as image:
        return image.convert("RGB")


@cache
def stored(name: str) -> Fingerprint:
    return fingerprint(thumbnail(picture(name)))


def thumbnail(image: Image.Image, long_side: int = 400) -> Image.Image:
    """What the pipeline hands to fingerprint(): the clean thumbnail."""
    image = image.copy()
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return image


def nearest(copy: Fingerprint, stored: Fingerprint) -> int:
    return min(distance(probe, key) for probe in copy.probes for key in stored.keys)


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def stamped(image: Image.Image) -> Image.Image:
    image = image.copy()
    font = ImageFont.load_default(size=image.height // 12)
    ImageDraw.Draw(image).text(
        (image.width * 0.05, image.height * 0.82),
        "(c) not mine",
        font=font,
        fill="white",
        stroke_width=2,
        stroke_fill="black",
    )
    return image


def cropped(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))


ALTERED = {
    "resized to half": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "recompressed at JPEG quality 40": lambda im: jpeg(im, 40),
    "mirrored": ImageOps.mirror,
    "flipped upside down": ImageOps.flip,
    "rotated 90 degrees": lambda im: im.transpose(Image.Transpose.ROTATE_90),
    "rotated 180 degrees": lambda im: im.transpose(Image.Transpose.ROTATE_180),
    "rotated 270 degrees": lambda im: im.transpose(Image.Transpose.ROTATE_270),
    "transposed": lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    "cropped 10% around the centre": lambda im: cropped(im, 0.05, 0.05, 0.95, 0.95),
    "cropped 10% at a corner": lambda im: cropped(im, 0.0, 0.1, 0.9, 1.0),
    "cropped 10% on one side": lambda im: cropped(im, 0.1, 0.0, 1.0, 1.0),
    "brightened by 20%": lambda im: ImageEnhance.Brightness(im).enhance(1.2),
    "darkened by 20%": lambda im: ImageEnhance.Brightness(im).enhance(0.8),
    "stamped with text": stamped,
}


@pytest.mark.parametrize("name", ["astronaut.png", "coffee.png"])
@pytest.mark.parametrize("alteration", list(ALTERED))
def test_an_altered_copy_is_found_within_the_near_distance(name, alteration):
    """REQ: WRK-9"""
    copy = fingerprint(thumbnail(ALTERED[alteration](picture(name))))
    assert nearest(copy, stored(name)) <= NEAR_DISTANCE


def test_unrelated_pictures_are_not_near():
    """REQ: WRK-9"""
    names = ["astronaut.png", "camera.png", "coffee.png", "chelsea.png", "rocket.jpg", "moon.png"]
    for name in names:
        for other in names:
            if other != name:
                assert nearest(stored(name), stored(other)) > NEAR_DISTANCE, (name, other)


def test_a_picture_finds_itself_at_distance_zero_whatever_the_thumbnail_size():
    """REQ: WRK-9"""
    cat = stored("chelsea.png")
    assert set(cat.probes) <= set(cat.keys)
    for long_side in (512, 300, 200):
        assert nearest(fingerprint(thumbnail(picture("chelsea.png"), long_side)), cat) <= 2


def test_one_probe_searches_and_a_few_keys_per_window_are_stored():
    fp = stored("astronaut.png")
    assert len(fp.probes) == 1
    assert 10 <= len(fp.keys) <= 40
    assert len(set(fp.keys)) == len(fp.keys)


def test_phash_and_dhash_are_imagehash_values_as_unsigned_integers():
    image = thumbnail(picture("rocket.jpg"))
    fp = fingerprint(image)
    assert fp.phash == int(str(imagehash.phash(image)), 16)
    assert fp.dhash == int(str(imagehash.dhash(image)), 16)
    assert 0 <= fp.phash < 2**64 and 0 <= fp.dhash < 2**64
    assert all(-(2**63) <= key < 2**63 for key in fp.keys + fp.probes)


def test_grey_and_transparent_pictures_are_hashed_as_shown_on_white():
    rgb = thumbnail(picture("coffee.png"))
    assert nearest(fingerprint(rgb.convert("L")), fingerprint(rgb)) == 0
    transparent = rgb.convert("RGBA")
    transparent.putalpha(255)
    transparent.paste((0, 0, 0, 0), (0, 0, 60, 60))
    on_white = rgb.copy()
    on_white.paste((255, 255, 255), (0, 0, 60, 60))
    assert fingerprint(transparent).keys == fingerprint(on_white).keys


def test_a_blank_picture_gets_no_keys_so_blanks_do_not_all_match_each_other():
    fp = fingerprint(Image.new("RGB", (400, 300), (250, 250, 250)))
    assert fp.keys == () and fp.probes == ()
    fine = Image.new("L", (400, 400))
    fine.putdata([255 * ((x + y) % 2) for y in range(400) for x in range(400)])  # a 1-pixel checkerboard
    assert fingerprint(fine).probes == ()


@pytest.mark.parametrize("unsigned", [0, 1, 2**63 - 1, 2**63, 2**64 - 1, 0xC2924C5532BDDFC8])
def test_signed_and_unsigned_values_round_trip(unsigned):
    signed = to_signed(unsigned)
    assert -(2**63) <= signed < 2**63
    assert to_unsigned(signed) == unsigned
    assert distance(signed, unsigned) == 0


def test_values_outside_64_bits_are_refused():
    with pytest.raises(ValueError):
        to_signed(2**64)
    with pytest.raises(ValueError):
        to_signed(-1)
    with pytest.raises(ValueError):
        to_unsigned(2**63)
    assert to_signed(2**64 - 1) == -1 and to_unsigned(-1) == 2**64 - 1
