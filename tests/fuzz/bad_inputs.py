"""Bad inputs of the hub's fuzz suite, generated at test time (nothing large is committed).

Files: empty, random, truncated and renamed files, decompression-bomb headers, 16-bit, CMYK,
palette and animated images, a 6000×6000 photo, corrupt and header-only DICOM, silent and
header-only audio, non-UTF-8 CSV.  Texts: empty, 1 MB, right-to-left and zero-width, script
injection, markdown links.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels, with one tiny data chunk (a bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def wav(seconds: float, rate: int = 16_000, silent: bool = True) -> bytes:
    samples = int(seconds * rate)
    data = np.zeros(samples, dtype=np.int16) if silent else (np.random.default_rng(0).normal(0, 3000, samples)).astype(np.int16)
    header = b"RIFF" + struct.pack("<I", 36 + data.nbytes) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", data.nbytes) + data.tobytes()


def image_files() -> dict[str, bytes]:
    """Odd but valid images and broken ones, named with the extension the uploader accepts."""
    from PIL import Image

    rng = np.random.default_rng(0)
    photo = Image.fromarray(rng.integers(0, 255, (64, 80, 3), dtype=np.uint8))
    good = _png(photo)
    jpeg = io.BytesIO()
    photo.save(jpeg, format="JPEG")
    cmyk = io.BytesIO()
    photo.convert("CMYK").save(cmyk, format="JPEG")
    gif = io.BytesIO()
    frames = [photo.convert("P"), Image.fromarray(255 - np.asarray(photo)).convert("P")]
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    sixteen = Image.fromarray((rng.integers(0, 65535, (40, 40))).astype(np.uint16))
    big = Image.new("RGB", (6000, 6000), (120, 130, 140))
    return {
        "empty.png": b"",
        "random.png": rng.integers(0, 255, 1024, dtype=np.uint8).tobytes(),
        "truncated.jpg": jpeg.getvalue()[: len(jpeg.getvalue()) // 2],
        "truncated.png": good[: len(good) // 2],
        "bomb.png": png_header(20_000, 20_000),
        "header_only.png": png_header(8000, 8000)[:33],
        "text_renamed.png": b"just some text, not a picture\n" * 20,
        "eps_renamed.png": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
        "pdf_renamed.jpg": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF",
        "cmyk.jpg": cmyk.getvalue(),
        "palette.png": _png(photo.convert("P")),
        "rgba.png": _png(photo.convert("RGBA")),
        "sixteen_bit.png": _png(sixteen),
        "animated.gif": gif.getvalue(),
        "big_6000.png": _png(big),
    }


def dicom_files() -> dict[str, bytes]:
    return {"header_only.dcm": b"\x00" * 128 + b"DICM", "corrupt.dcm": b"\x00" * 128 + b"DICM" + b"\x02\x00\x10\x00UI\xff\xff" + b"x" * 50}


def audio_files() -> dict[str, bytes]:
    return {
        "silent.wav": wav(2.0),
        "header_only.wav": wav(1.0)[:44],
        "png_renamed.mp3": image_files()["palette.png"],
        "random.ogg": np.random.default_rng(1).integers(0, 255, 2048, dtype=np.uint8).tobytes(),
        "empty.wav": b"",
    }


def text_files() -> dict[str, bytes]:
    return {
        "latin1.csv": "text\ncaf\xe9 cr\xe8me br\xfbl\xe9e, tr\xe8s bon\n".encode("latin-1") + b"\xff\xfe\x81\n",
        "binary.txt": bytes(range(256)) * 8,
        "empty.csv": b"",
        "no_text_column.csv": b"a,b\n1,2\n3,4\n",
        "script.txt": b"<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n",
    }


HOSTILE_TEXTS = [
    "",
    "   \n\t  ",
    "x" * 1_000_000,
    "\u202eThis is right-to-left \u200b\u200b\u200bzero width\u200d",
    "مرحبا بكم في الورشة، هذا رائع",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1)) ![img](http://example.invalid/x.png) **bold** $x^2$",
    "\x00\x01\x02 control characters \x7f",
]


def files_for(accepted: list[str]) -> dict[str, bytes]:
    """The bad files worth trying on an uploader that accepts ``accepted`` extensions (all when empty)."""
    accepted = [ext.lower().lstrip(".") for ext in accepted]
    pools = [image_files(), dicom_files(), audio_files(), text_files()]
    chosen: dict[str, bytes] = {}
    for pool in pools:
        for name, data in pool.items():
            extension = name.rsplit(".", 1)[-1]
            if not accepted or extension in accepted:
                chosen[name] = data
    if accepted:  # a file of the right extension with the wrong content, whatever the uploader takes
        chosen[f"wrong_content.{accepted[0]}"] = b"\x00\xff garbage \x13\x37" * 64
    return chosen
