"""Odd but acceptable files: the pipeline must process every one of them normally."""

import random
import zlib

from PIL import Image

from inspiracle.pipeline.tests.hostile.builders import (
    encode,
    exif_gps,
    jpeg_with,
    picture,
    png_by_hand,
    png_chunk,
    png_interlaced,
    png_with,
)
from inspiracle.pipeline.tests.hostile.case import Case, Samples, ok


def ordinary_cases(s: Samples, rng: random.Random) -> list[Case]:
    """Odd but acceptable: these must be processed normally."""
    animated = [picture(seed=i).convert("P") for i in range(4)]
    orientation = Image.Exif()
    orientation[0x0112] = 6
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:title="Dune"/></rdf:RDF></x:xmpmeta>'
    deep_rows = b"".join(
        b"\x00" + bytes(range(48)) for _ in range(8)
    )  # 8 px x 3 channels x 2 bytes, filter 0
    return [
        ok("png-plain", "sketch.png", s.png, "a small RGB PNG"),
        ok("jpeg-plain", "photo.jpg", s.jpeg, "a baseline JPEG"),
        ok(
            "png-named-gif",
            "sketch.gif",
            s.png,
            "a PNG named .gif: we go by content, the wrong name is harmless",
        ),
        ok("gif-named-jpg", "loop.jpg", s.gif, "a GIF named .jpg"),
        ok("png-1x1", "dot.png", encode(picture(1, 1), "PNG"), "the smallest picture there is"),
        ok(
            "jpeg-cmyk",
            "print.jpg",
            encode(picture(mode="CMYK"), "JPEG"),
            "CMYK JPEG, as print workflows export",
        ),
        ok("jpeg-gray", "gray.jpg", encode(picture(mode="L"), "JPEG"), "grayscale JPEG"),
        ok(
            "jpeg-progressive",
            "prog.jpg",
            encode(picture(320, 240), "JPEG", progressive=True),
            "progressive JPEG",
        ),
        ok(
            "jpeg-gps-exif",
            "holiday.jpg",
            encode(s.rgb, "JPEG", exif=exif_gps()),
            "gps: EXIF GPS position (Paris); derivatives must carry no EXIF or GPS",
        ),
        ok(
            "jpeg-orientation-6",
            "turned.jpg",
            encode(picture(48, 64), "JPEG", exif=orientation),
            "EXIF orientation 6",
        ),
        ok(
            "jpeg-xmp",
            "xmp.jpg",
            jpeg_with(s.jpeg, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp),
            "XMP is XML but no markup",
        ),
        ok(
            "jpeg-mpo-like",
            "camera.jpg",
            s.jpeg + s.jpeg,
            "a second full JPEG after EOI, as MPO cameras write",
        ),
        ok("jpeg-zero-padding", "padded.jpg", s.jpeg + bytes(4096), "zero padding after EOI"),
        ok(
            "jpeg-vendor-trailer",
            "phone.jpg",
            s.jpeg + b"SEFH" + rng.randbytes(2048) + b"SEFT",
            "binary vendor data after EOI, as phones write",
        ),
        ok(
            "png-16bit-rgb",
            "deep.png",
            png_by_hand(8, 8, zlib.compress(deep_rows), depth=16),
            "16-bit RGB PNG",
        ),
        ok(
            "png-palette-alpha",
            "palette.png",
            encode(s.rgb.convert("P"), "PNG", transparency=0),
            "palette PNG with tRNS",
        ),
        ok("png-la", "la.png", encode(picture(mode="LA"), "PNG"), "grayscale with alpha"),
        ok("png-rgba", "rgba.png", encode(picture(mode="RGBA"), "PNG"), "RGBA PNG"),
        ok("png-interlaced", "adam7.png", png_interlaced(), "Adam7 interlaced PNG"),
        ok(
            "png-text-harmless",
            "notes.png",
            png_with(s.png, png_chunk(b"tEXt", b"Software\x00Krita 5.2 <3")),
            "an ordinary text note with a '<'",
        ),
        ok(
            "apng-3-frames",
            "anim.png",
            encode(animated[0], "PNG", save_all=True, append_images=animated[1:3]),
            "animated PNG",
        ),
        ok(
            "gif-animated",
            "anim.gif",
            encode(animated[0], "GIF", save_all=True, append_images=animated[1:], duration=80, loop=0),
            "a small 4-frame animation",
        ),
        ok("webp-lossless", "lossless.webp", s.webp, "WebP lossless"),
        ok("webp-lossy", "lossy.webp", encode(s.rgb, "WEBP", quality=80), "WebP lossy"),
        ok(
            "webp-animated",
            "anim.webp",
            encode(
                picture(),
                "WEBP",
                save_all=True,
                append_images=[picture(seed=1), picture(seed=2)],
                duration=80,
            ),
            "animated WebP",
        ),
        ok(
            "tiff-lzw", "scan.tif", encode(s.rgb, "TIFF", compression="tiff_lzw"), "TIFF with LZW compression"
        ),
        ok(
            "tiff-16bit-gray",
            "deep.tiff",
            encode(picture(mode="L").convert("I;16"), "TIFF"),
            "16-bit grayscale TIFF",
        ),
        ok(
            "tiff-3-pages",
            "pages.tif",
            encode(s.rgb, "TIFF", save_all=True, append_images=[picture(seed=1), picture(seed=2)]),
            "3 pages",
        ),
        ok("tiff-big", "big.tif", encode(s.rgb, "TIFF", big_tiff=True), "BigTIFF"),
        ok(
            "name-traversal",
            "../../etc/passwd\x00\r\n.png",
            s.png,
            "path, NUL and CR/LF in the name: safe_filename cleans it",
        ),
        ok("name-bidi", "photo\u202egpj.exe", s.png, "a bidi override makes the name display as ...exe.jpg"),
    ]
