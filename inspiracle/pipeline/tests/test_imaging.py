"""Decoding and derivatives (pipeline/imaging.py). Every input is made in memory; no database."""

import io
import struct

import numpy as np
import pytest
from PIL import Image, ImageCms

from inspiracle.pipeline import imaging
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.imaging import decode, make_derivatives

MAX_PIXELS = 50_000_000
WATERMARK = "Inspiracle · @ana"
GPS = 0x8825
ORIENTATION = 0x0112
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.fixture(autouse=True)
def pillow_pixel_limit(monkeypatch):
    """decode() sets Pillow's process-wide limit; give it back to the other tests afterwards."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)


def write(tmp_path, image_or_bytes, name="upload.bin", **save):
    path = tmp_path / name
    if isinstance(image_or_bytes, bytes):
        path.write_bytes(image_or_bytes)
    else:
        image_or_bytes.save(path, **save)
    return path


def encode(image, format, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **save)
    return buffer.getvalue()


def webp_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    return image


def xmp_packet(code: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{IPTC}{code}"/></rdf:RDF></x:xmpmeta>'
    ).encode()


def linear_rgb_profile() -> bytes:
    """A minimal ICC v2 RGB profile: sRGB primaries with a linear (gamma 1.0) tone curve."""

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))

    description = b"Linear RGB\0"
    tags = [
        (
            b"desc",
            b"desc" + bytes(4) + struct.pack(">I", len(description)) + description + bytes(4 + 4 + 3 + 67),
        ),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", b"curv" + bytes(4) + struct.pack(">IH", 1, 256) + bytes(2)),
    ]
    tags += [(b"gTRC", tags[-1][1]), (b"bTRC", tags[-1][1])]
    table, data, offset = b"", b"", 128 + 4 + 12 * len(tags)
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s", size, b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ") + bytes(12)
    header += b"acsp" + bytes(24) + struct.pack(">I3i", 0, 63190, 65536, 54061) + bytes(48)
    return header + struct.pack(">I", len(tags)) + table + data


# --- decode and strip (WRK-2) -------------------------------------------------------------------------------


def test_derivatives_carry_no_gps_exif_icc_or_xmp_and_the_photo_is_upright(tmp_path):
    """REQ: WRK-2 — metadata such as GPS is stripped from every derivative; EXIF orientation is applied."""
    stored = Image.new("RGB", (3400, 1700), (0, 0, 255))  # landscape as stored, turned 90 degrees to show
    stored.paste((255, 0, 0), (0, 0, 1700, 1700))  # the stored left half becomes the top once turned
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = write(
        tmp_path, stored, "photo.jpg", exif=exif.tobytes(), icc_profile=srgb, xmp=xmp_packet("digitalCapture")
    )
    assert Image.open(path).getexif().get_ifd(GPS)  # the input really has them

    image = decode(path, max_pixels=MAX_PIXELS)
    derivatives = make_derivatives(image, watermark=WATERMARK)

    assert image.size == (850, 1700)  # drafted at 1/2, still >= 1600 on the long side, and portrait
    assert image.info == {} and len(image.getexif()) == 0
    for data in (derivatives.preview, derivatives.thumbnail):
        webp = webp_image(data)
        assert len(webp.getexif()) == 0
        assert not webp.getexif().get_ifd(GPS)
        assert not {"exif", "icc_profile", "xmp"} & set(webp.info)
        assert b"EXIF" not in data and b"ICCP" not in data and b"XMP " not in data
        top, bottom = (
            webp.convert("RGB").getpixel((webp.width // 2, 5)),
            webp.convert("RGB").getpixel((webp.width // 2, webp.height - 5)),
        )
        assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60
    assert (derivatives.preview_width, derivatives.preview_height) == (800, 1600)
    assert (derivatives.thumbnail_width, derivatives.thumbnail_height) == (200, 400)
    assert derivatives.hash_image.size == (200, 400)


def palette_with_transparency():
    image = Image.new("P", (40, 30), 1)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    image.paste(0, (0, 0, 20, 30))
    image.info["transparency"] = 0
    return image


def grey16():
    return Image.fromarray(np.full((30, 40), 0xC000, dtype=np.uint16))  # mode "I;16"


def frames(*colours):
    return [Image.new("RGB", (40, 30), colour) for colour in colours]


def multipage_tiff():
    first, *rest = frames((200, 30, 30), (30, 30, 200))
    return encode(first, "TIFF", save_all=True, append_images=rest)


def animated_gif():
    first, *rest = frames((200, 30, 30), (30, 30, 200))
    return encode(first, "GIF", save_all=True, append_images=rest, duration=100, loop=0)


MODES = {
    "CMYK JPEG (Adobe inverted)": (
        lambda: encode(Image.new("CMYK", (40, 30), (0, 220, 220, 0)), "JPEG"),
        "RGB",
    ),
    "16-bit PNG": (lambda: encode(grey16(), "PNG"), "RGB"),
    "16-bit TIFF": (lambda: encode(grey16(), "TIFF"), "RGB"),
    "palette PNG with transparency": (lambda: encode(palette_with_transparency(), "PNG"), "RGBA"),
    "LA PNG": (lambda: encode(Image.new("LA", (40, 30), (200, 128)), "PNG"), "RGBA"),
    "multi-page TIFF": (multipage_tiff, "RGB"),
    "animated GIF": (animated_gif, "RGB"),
    "1-bit PNG": (lambda: encode(Image.new("1", (40, 30), 1), "PNG"), "RGB"),
    "float TIFF": (lambda: encode(Image.new("F", (40, 30), 0.75), "TIFF"), "RGB"),
    "RGBA WebP": (
        lambda: encode(Image.new("RGBA", (40, 30), (200, 30, 30, 128)), "WEBP", lossless=True),
        "RGBA",
    ),
}


@pytest.mark.parametrize("kind", MODES)
def test_every_mode_decodes_to_rgb_or_rgba_and_gives_webp_derivatives(tmp_path, kind):
    """REQ: WRK-2 — safe decoding of every accepted kind of image."""
    make, mode = MODES[kind]
    image = decode(write(tmp_path, make()), max_pixels=MAX_PIXELS)
    derivatives = make_derivatives(image, watermark=WATERMARK)

    assert image.mode == mode
    assert image.size == (40, 30)
    assert webp_image(derivatives.preview).mode == mode
    assert webp_image(derivatives.thumbnail).size == (40, 30)


@pytest.mark.parametrize(
    ("kind", "pixel"),
    [
        ("CMYK JPEG (Adobe inverted)", (255, 35, 35)),
        ("16-bit PNG", (192, 192, 192)),  # scaled to 8 bits, not clipped to white
        ("16-bit TIFF", (192, 192, 192)),
        ("multi-page TIFF", (200, 30, 30)),  # the first page
        ("animated GIF", (200, 30, 30)),  # the first frame
        ("1-bit PNG", (255, 255, 255)),
        ("float TIFF", (191, 191, 191)),
    ],
)
def test_colours_survive_the_conversion(tmp_path, kind, pixel):
    image = decode(write(tmp_path, MODES[kind][0]()), max_pixels=MAX_PIXELS)

    assert np.abs(np.subtract(image.getpixel((5, 5)), pixel)).max() <= 12


def test_transparency_is_kept(tmp_path):
    image = decode(write(tmp_path, encode(palette_with_transparency(), "PNG")), max_pixels=MAX_PIXELS)
    thumbnail = webp_image(make_derivatives(image, watermark=WATERMARK).thumbnail)

    assert image.getpixel((5, 5))[3] == 0 and image.getpixel((35, 5)) == (200, 30, 30, 255)
    assert thumbnail.getpixel((2, 2))[3] == 0 and thumbnail.getpixel((38, 2))[3] == 255


def test_an_embedded_colour_profile_is_converted_to_srgb(tmp_path):
    image = Image.new("RGB", (40, 30), (128, 128, 128))
    path = write(tmp_path, image, "linear.png", icc_profile=linear_rgb_profile())

    red, green, blue = decode(path, max_pixels=MAX_PIXELS).getpixel((5, 5))

    assert 180 <= red <= 195 and abs(red - green) <= 3 and abs(red - blue) <= 3  # linear 0.5 is sRGB 188


def test_a_broken_colour_profile_keeps_the_pixels(tmp_path):
    image = Image.new("RGB", (40, 30), (128, 64, 32))
    path = write(tmp_path, image, "bad.png", icc_profile=b"not a profile at all" * 10)

    assert decode(path, max_pixels=MAX_PIXELS).getpixel((5, 5)) == (128, 64, 32)


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
def test_a_truncated_file_is_refused_as_damaged(tmp_path, format):
    """REQ: WRK-2 — a file that does not decode gets a clear reason, not an error page."""
    noisy = Image.fromarray(np.random.default_rng(1).integers(0, 255, (200, 300, 3), dtype=np.uint8))
    data = encode(noisy, format)

    with pytest.raises(FileRefused) as refused:
        decode(write(tmp_path, data[: len(data) // 2]), max_pixels=MAX_PIXELS)

    assert refused.value.code == "damaged"
    assert refused.value.params["detail"] == "the file ends before the picture does"


def test_bytes_that_are_no_picture_are_refused_as_damaged(tmp_path):
    with pytest.raises(FileRefused) as refused:
        decode(write(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\0" * 100), max_pixels=MAX_PIXELS)

    assert refused.value.code == "damaged"
    assert "Error" not in refused.value.message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    "max_pixels", [9_999, 4_000]
)  # our check, then Pillow's own error above twice the limit
def test_more_pixels_than_the_limit_are_refused(tmp_path, max_pixels):
    path = write(tmp_path, Image.new("RGB", (100, 100)), "square.png")

    assert decode(path, max_pixels=10_000).size == (100, 100)
    with pytest.raises(FileRefused) as refused:
        decode(path, max_pixels=max_pixels)
    assert refused.value.code == "too_many_pixels"


# --- derivatives (WRK-3) --------------------------------------------------------------------------------------


def test_a_small_image_is_not_upscaled(tmp_path):
    image = decode(write(tmp_path, Image.new("RGB", (300, 200), "teal"), "small.png"), max_pixels=MAX_PIXELS)
    derivatives = make_derivatives(image, watermark=WATERMARK)

    assert (derivatives.preview_width, derivatives.preview_height) == (300, 200)
    assert (derivatives.thumbnail_width, derivatives.thumbnail_height) == (300, 200)
    assert webp_image(derivatives.preview).size == (300, 200)


def test_a_large_image_gives_a_1600_preview_and_a_400_thumbnail(tmp_path):
    image = decode(write(tmp_path, Image.new("RGB", (2000, 1000), "teal"), "wide.png"), max_pixels=MAX_PIXELS)
    derivatives = make_derivatives(image, watermark=WATERMARK)

    assert webp_image(derivatives.preview).size == (1600, 800)
    assert webp_image(derivatives.thumbnail).size == (400, 200)


def test_the_preview_is_watermarked_all_over_and_the_thumbnail_is_not(tmp_path):
    """REQ: WRK-3 — public pages show a watermarked preview; the mark is tiled so a crop cannot remove it."""
    grey = (110, 120, 130)
    image = decode(write(tmp_path, Image.new("RGB", (1200, 900), grey), "flat.png"), max_pixels=MAX_PIXELS)
    derivatives = make_derivatives(image, watermark=WATERMARK)

    preview = np.asarray(webp_image(derivatives.preview).convert("RGB"), dtype=int)
    marked = np.abs(preview - grey).max(axis=2) > 12
    cells = [cell for band in np.array_split(marked, 3, axis=0) for cell in np.array_split(band, 3, axis=1)]
    assert all(cell.mean() > 0.01 for cell in cells)  # every ninth of the picture carries the mark
    assert 0.02 < marked.mean() < 0.4  # visible, but most of the picture shows through
    assert np.abs(preview - grey).max() < 150  # semi-transparent: never solid white or black
    thumbnail = np.asarray(webp_image(derivatives.thumbnail).convert("RGB"), dtype=int)
    assert np.abs(thumbnail - grey).max() <= 12
    assert np.abs(np.asarray(derivatives.hash_image, dtype=int) - grey).max() <= 2


@pytest.mark.parametrize(
    "size", [(2000, 1500), (2000, 2000), (1999, 1333), (4000, 3000), (6399, 2000), (1601, 40)]
)
def test_a_preview_resized_in_halves_has_the_very_pixels_of_one_resize(size):
    """REQ: WRK-3: the preview (and every fingerprint taken from it) does not depend on how it was computed."""
    rng = np.random.default_rng(size[0])
    image = Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))
    target = imaging._fit(image.size, imaging.PREVIEW_LONG_SIDE)
    whole = image.resize(target, imaging.PREVIEW_RESAMPLE, reducing_gap=imaging.REDUCING_GAP)
    assert np.array_equal(np.asarray(imaging._preview_resize(image, target)), np.asarray(whole))
