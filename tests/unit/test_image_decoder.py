"""The hub's one safe image decoder (dl_apps/media/image.py), on files generated here at test time.

Every image page (detection, attack, medical, explain) and the CLI read uploads through it, so
each kind of failure has exactly one error code, with a message in English and French.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from dl_apps.core import InputError
from dl_apps.media import image as decoder
from dl_apps.ui.i18n import has, t

FAILURE_CODES = ("image_missing", "image_not_an_image", "image_corrupt", "image_too_large", "empty_file", "file_too_large")


def encode(picture: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A valid PNG signature + IHDR claiming ``width``×``height`` (8-bit RGB) and a tiny IDAT: a decompression bomb's header."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def gradient(width: int = 40, height: int = 30) -> Image.Image:
    """An RGB picture whose left half is red and right half blue (orientation is visible)."""
    array = np.zeros((height, width, 3), dtype=np.uint8)
    array[:, : width // 2] = (220, 20, 20)
    array[:, width // 2 :] = (20, 20, 220)
    return Image.fromarray(array)


def code_of(data: bytes, **kwargs) -> str:
    with pytest.raises(InputError) as error:
        decoder.decode_image(data, **kwargs)
    assert str(error.value)  # the CLI's English message is never empty
    return error.value.code


# ------------------------------------------------------------------ allow-list
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
POSTSCRIPT = b"%!PS-Adobe-3.0\n%%Pages: 1\n/Helvetica findfont 12 scalefont setfont\n72 72 moveto (hello) show\nshowpage\n"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("data", [EPS, POSTSCRIPT, PDF], ids=["eps", "postscript", "pdf"])
def test_vector_formats_are_refused_without_running_ghostscript(data, monkeypatch):
    import subprocess

    def no_subprocess(*args, **kwargs):  # PIL's EPS plugin would start Ghostscript through subprocess
        raise AssertionError("the decoder tried to start a program")

    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    monkeypatch.setattr(subprocess, "check_call", no_subprocess)
    assert code_of(data) == "image_not_an_image"


def test_only_plain_raster_formats_are_allowed():
    assert set(decoder.IMAGE_FORMATS) == {"JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF"}
    for fmt in ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF"):
        array, _ = decoder.decode_image(encode(gradient(), fmt))
        assert array.shape == (30, 40, 3) and array.dtype == np.uint8
    # a format PIL can read but the hub does not accept
    assert code_of(encode(gradient(), "ICO")) == "image_not_an_image"


# ------------------------------------------------------------------ pixel cap
def test_pixel_cap_is_checked_from_the_header_before_decoding(monkeypatch):
    data = png_header(20_000, 20_000)  # 400 megapixels claimed by a ~100-byte file

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded before the size check")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(InputError) as error:
        decoder.decode_image(data)
    assert error.value.code == "image_too_large"
    assert (error.value.params["width"], error.value.params["height"]) == (20_000, 20_000)
    assert error.value.params["limit_mp"] == decoder.MAX_PIXELS // 1_000_000


def test_pixel_cap_applies_to_arrays_and_pil_images_too():
    assert code_of(encode(gradient(100, 100)), max_pixels=5_000) == "image_too_large"
    with pytest.raises(InputError) as error:
        decoder.load_image(np.zeros((100, 100, 3), dtype=np.uint8), max_pixels=5_000)
    assert error.value.code == "image_too_large"
    with pytest.raises(InputError) as error:
        decoder.load_image(gradient(100, 100), max_pixels=5_000)
    assert error.value.code == "image_too_large"


# ------------------------------------------------------------ bytes and files
def test_empty_oversized_missing_and_truncated_inputs():
    assert code_of(b"") == "empty_file"
    assert code_of(b"\x00" * 2_000, max_bytes=1_000) == "file_too_large"
    with pytest.raises(InputError) as error:
        decoder.load_image(None)
    assert error.value.code == "image_missing"
    jpeg = encode(gradient(200, 150), "JPEG", quality=90)
    assert code_of(jpeg[: len(jpeg) // 3]) == "image_corrupt"
    png = encode(gradient(200, 150))
    assert code_of(png[: len(png) // 2]) == "image_corrupt"
    assert code_of(b"just some text, not a picture at all" * 10) == "image_not_an_image"


def test_a_file_path_is_read_with_the_same_checks(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(encode(gradient()))
    array, _ = decoder.load_image(path)
    assert array.shape == (30, 40, 3)
    with pytest.raises(InputError) as error:
        decoder.load_image(tmp_path / "missing.png")
    assert error.value.code == "file_not_found"
    with pytest.raises(InputError) as error:
        decoder.load_image(path, max_bytes=10)
    assert error.value.code == "file_too_large"


# ------------------------------------------------------------------ conversions
def test_exif_orientation_is_applied():
    picture = gradient(40, 30)  # red left, blue right
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    array, _ = decoder.decode_image(encode(picture, "JPEG", quality=95, exif=exif.tobytes()))
    assert array.shape == (40, 30, 3)  # width and height swapped
    top, bottom = array[2, 15], array[-3, 15]
    assert top[0] > 150 and top[2] < 100  # red on top after the rotation
    assert bottom[2] > 150 and bottom[0] < 100


def test_cmyk_is_converted_with_a_notice():
    array, notices = decoder.decode_image(encode(gradient().convert("CMYK"), "JPEG", quality=95))
    assert array.shape == (30, 40, 3)
    assert [n["code"] for n in notices] == ["image_converted_cmyk"]
    assert array[15, 5, 0] > 150  # still red on the left


def test_16_bit_is_scaled_to_8_bits_with_a_notice():
    ramp = (np.arange(64 * 32, dtype=np.uint32).reshape(32, 64) * 32).astype(np.uint16)  # 0 .. 65504
    array, notices = decoder.decode_image(encode(Image.fromarray(ramp)))
    assert array.shape == (32, 64, 3)
    assert [n["code"] for n in notices] == ["image_converted_16bit"]
    assert array[0, 0, 0] == 0 and array[-1, -1, 0] == 255
    assert np.all(np.diff(array[..., 0].reshape(-1).astype(int)) >= 0)  # the ramp stays a ramp


def test_palette_image_becomes_rgb():
    array, notices = decoder.decode_image(encode(gradient().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)))
    assert array.shape == (30, 40, 3) and notices == []
    assert array[15, 5, 0] > 150 and array[15, 35, 2] > 150


def test_transparency_is_filled_with_white():
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)
    rgba[:, :10] = (0, 0, 0, 255)  # opaque black on the left, fully transparent on the right
    array, notices = decoder.decode_image(encode(Image.fromarray(rgba, "RGBA")))
    assert [n["code"] for n in notices] == ["image_transparency_removed"]
    assert tuple(array[10, 2]) == (0, 0, 0) and tuple(array[10, 17]) == (255, 255, 255)


def test_animated_gif_keeps_its_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    array, notices = decoder.decode_image(buffer.getvalue())
    assert array.shape == (16, 16, 3)
    assert "image_first_frame" in [n["code"] for n in notices]
    assert array[8, 8, 0] > 200 and array[8, 8, 1] < 50  # red: the first frame


def test_greyscale_becomes_three_equal_channels():
    grey = Image.fromarray(np.tile(np.arange(0, 250, 10, dtype=np.uint8), (5, 1)))
    array, notices = decoder.decode_image(encode(grey))
    assert notices == [] and array.shape == (5, 25, 3)
    assert np.array_equal(array[..., 0], array[..., 2]) and array[0, 3, 0] == 30


# --------------------------------------------------------------- the messages
@pytest.mark.parametrize("code", FAILURE_CODES)
def test_every_failure_has_one_message_in_english_and_french(code):
    key = f"error.{code}"
    assert has(key)
    params = {"width": 20000, "height": 20000, "limit_mp": 40, "size_kb": 30000, "limit_kb": 20480, "path": "x.png"}
    english, french = t(key, "en", **params), t(key, "fr", **params)
    assert english and french and english != french


@pytest.mark.parametrize(
    "task,code",
    [
        ("detection", "detection_not_an_image"),
        ("detection", "detection_image_too_large"),
        ("detection", "detection_corrupt_image"),
        ("detection", "detection_no_image"),
        ("attack", "attack_not_an_image"),
        ("attack", "attack_image_too_large"),
        ("attack", "attack_no_image"),
        ("medical", "medical_not_an_image"),
        ("medical", "medical_image_too_large"),
        ("medical", "medical_no_image"),
    ],
)
def test_no_task_keeps_its_own_copy_of_a_decoder_error(task, code):
    assert not has(f"error.{code}"), f"{task} still declares error.{code}: use the shared error.image_* code"


# ------------------------------------------------------- encoding for st.image
def _streamlit_sends(data: bytes, output_format: str = "auto") -> bytes:
    """The bytes st.image puts in the media store for ``data`` (its own format check and re-encoding)."""
    from streamlit.elements.lib.image_utils import _ensure_image_size_and_format, _validate_image_format_string
    from streamlit.elements.lib.layout_utils import LayoutConfig

    return _ensure_image_size_and_format(data, LayoutConfig(width="stretch"), _validate_image_format_string(data, output_format))


def test_jpeg_of_a_photo_is_what_st_image_sends_as_it_is():
    photo = np.random.default_rng(0).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    jpeg = decoder.encode_jpeg(photo)
    assert jpeg[:3] == b"\xff\xd8\xff" and Image.open(io.BytesIO(jpeg)).size == (160, 120)
    assert _streamlit_sends(jpeg) is jpeg  # passed through: no decoding or encoding on a rerun
    png = decoder.encode_png(photo)
    assert _streamlit_sends(png)[:3] == b"\xff\xd8\xff"  # what the pages did before: a PNG photo re-encoded as JPEG each time
    assert _streamlit_sends(png, "PNG") is png  # a drawing kept as PNG (the film map) passes with output_format="PNG"
    assert len(jpeg) < len(png)


def test_jpeg_encoder_keeps_grey_and_falls_back_to_png_for_transparency():
    grey = decoder.encode_jpeg(np.full((8, 8), 128, dtype=np.uint8))
    assert Image.open(io.BytesIO(grey)).mode == "L"
    rgba = np.zeros((8, 8, 4), dtype=np.uint8)
    assert decoder.encode_jpeg(rgba)[:8] == b"\x89PNG\r\n\x1a\n"  # JPEG has no alpha channel
    assert Image.open(io.BytesIO(decoder.encode_jpeg(Image.new("P", (4, 4))))).format == "JPEG"
