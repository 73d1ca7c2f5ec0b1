"""The one safe image decoder of the hub: every image page and the CLI read uploads through it.

Safety and robustness, in the order they are checked:

* the bytes: empty or larger than ``max_bytes`` → refused (``empty_file``, ``file_too_large``);
* the format: an allow-list of plain raster formats (JPEG, PNG, WebP, BMP, GIF, TIFF) is given to
  ``PIL.Image.open``, so PIL's EPS/PDF/PostScript plugins (EPS would run Ghostscript) never run
  (``image_not_an_image``);
* the size: width × height read from the header and refused above ``max_pixels`` *before* the
  pixels are decoded (decompression bombs; ``image_too_large``);
* damaged or truncated files → ``image_corrupt``;
* then EXIF orientation is applied, the first frame of an animation is kept, and 16-bit,
  CMYK, palette, greyscale and transparent images are converted to RGB, each with a notice.

Every failure is an :class:`~dl_apps.core.InputError` with one code per kind of failure; the
messages are in ``dl_apps/ui/strings/common.py`` (``error.image_*``) in English and French.
Pure: no Streamlit import; PIL is imported lazily.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.core import InputError, check_upload, notice

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 20000×20000 PNG would need 1.2 GB once decoded
IMAGE_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")
FORMAT_NAMES = "JPEG, PNG, WebP, BMP, GIF or TIFF"
HIGH_BIT_DEPTH_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")


def too_many_pixels(width: int, height: int, max_pixels: int = MAX_PIXELS) -> InputError:
    """The error for an image above the pixel cap (also used for arrays and DICOM frames)."""
    return InputError(
        "image_too_large",
        f"The image is {width}×{height} pixels; the limit is {max_pixels // 1_000_000} megapixels.",
        width=width,
        height=height,
        limit_mp=max_pixels // 1_000_000,
    )


def open_image(data: bytes, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS) -> Any:
    """Validate and decode image bytes into a PIL image (EXIF-oriented, first frame, mode unchanged).

    Raises InputError (``empty_file``, ``file_too_large``, ``image_not_an_image``,
    ``image_too_large``, ``image_corrupt``) before any pixel is decoded where it can.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_upload(data, max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)  # reads the header only
            width, height = image.size
            if width * height > max_pixels or width < 1 or height < 1:
                raise too_many_pixels(width, height, max_pixels)
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)
            image.load()
            kind = image.format
            image = ImageOps.exif_transpose(image) or image
            image.format = image.format or kind  # the rotated copy forgets which format it came from
    except InputError:
        raise
    except Image.DecompressionBombError:  # PIL's own guard (above ~179 MP) fired inside Image.open
        raise too_many_pixels(*header_size(data), max_pixels) from None
    except UnidentifiedImageError:
        raise InputError("image_not_an_image", f"This file is not an image that can be read (use {FORMAT_NAMES}).") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct_error()) as error:
        raise InputError("image_corrupt", f"The image file is damaged or incomplete ({error}).", detail=str(error)) from None
    return image


def header_size(data: bytes) -> tuple[int, int]:
    """(width, height) as an allowed format's header states it, without decoding; (0, 0) if unknown.

    Used to name the size of a decompression bomb that PIL's own guard refused inside ``Image.open``.
    """
    from PIL import Image

    Image.init()
    for name in IMAGE_FORMATS:
        factory, accept = Image.OPEN.get(name, (None, None))
        if factory is None or (accept is not None and not accept(data[:16])):
            continue
        try:
            with factory(io.BytesIO(data), "") as image:  # the plugin parses the header only
                return int(image.size[0]), int(image.size[1])
        except Exception:  # noqa: BLE001 - any parsing failure just means "unknown size"
            continue
    return 0, 0


def struct_error() -> type[Exception]:
    import struct

    return struct.error


def is_animated(data: bytes) -> bool:
    """Whether the bytes hold an animation (several frames); only the first one is used."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
            return getattr(image, "n_frames", 1) > 1
    except Exception:  # noqa: BLE001 - a failure here is reported by open_image
        return False


def to_rgb_array(image: Any) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """A PIL image of any mode → RGB uint8 array (H, W, 3), with notices on what was converted."""
    from PIL import Image

    notices: list[dict[str, Any]] = []
    mode = image.mode
    if mode in HIGH_BIT_DEPTH_MODES:
        values = np.asarray(image, dtype=np.float64)
        if mode == "F" or values.max(initial=0) > 65535 or values.min(initial=0) < 0:
            low, high = float(values.min(initial=0)), float(values.max(initial=1))
            values = (values - low) / max(high - low, 1e-12) * 255.0
        else:
            values = values / 257.0  # 16-bit → 8-bit (65535 / 255 = 257)
        grey = np.clip(np.rint(np.nan_to_num(values)), 0, 255).astype(np.uint8)
        notices.append(notice("image_converted_16bit", "The high bit-depth image was converted to 8 bits per channel."))
        return np.repeat(grey[..., None], 3, axis=2), notices
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
        notices.append(notice("image_transparency_removed", "Transparent areas were filled with white."))
    elif mode == "CMYK":
        image = image.convert("RGB")
        notices.append(notice("image_converted_cmyk", "The CMYK image was converted to RGB."))
    elif mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8)), notices


def decode_image(
    data: bytes, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Uploaded image bytes → (RGB uint8 array (H, W, 3), notices). See the module docstring."""
    animated = is_animated(data) if data else False
    array, notices = to_rgb_array(open_image(data, max_bytes, max_pixels))
    if animated:
        notices.append(notice("image_first_frame", "The image is an animation: only its first frame is used."))
    return array, notices


def load_image(
    image: Any, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Bytes, a file path, a PIL image or an array → (RGB uint8 array, notices); ``None`` → ``image_missing``."""
    if image is None:
        raise InputError("image_missing", "Please choose a sample, upload a picture or take a snapshot.")
    if isinstance(image, (bytes, bytearray, memoryview)):
        return decode_image(bytes(image), max_bytes, max_pixels)
    if isinstance(image, (str, Path)):
        path = Path(image)
        if not path.is_file():
            raise InputError("file_not_found", f"No such file: {path}", path=str(path))
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                "file_too_large",
                f"The file is too large ({size // 1024:,} KB; the limit is {max_bytes // 1024:,} KB).",
                size_kb=size // 1024,
                limit_kb=max_bytes // 1024,
            )
        return decode_image(path.read_bytes(), max_bytes, max_pixels)
    if isinstance(image, np.ndarray):
        array = image
        if array.ndim == 2:
            array = np.repeat(array[..., None], 3, axis=2)
        if array.ndim != 3 or array.shape[2] not in (3, 4) or array.size == 0:
            raise InputError("image_not_an_image", "The array is not an image of shape (H, W, 3).")
        if array.shape[0] * array.shape[1] > max_pixels:
            raise too_many_pixels(array.shape[1], array.shape[0], max_pixels)
        if array.dtype != np.uint8:
            array = np.clip(np.nan_to_num(array), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(array[..., :3]), []
    if hasattr(image, "mode") and hasattr(image, "size"):  # a PIL image
        width, height = image.size
        if width * height > max_pixels:
            raise too_many_pixels(width, height, max_pixels)
        return to_rgb_array(image)
    raise InputError("image_not_an_image", f"This is not an image that can be read (use {FORMAT_NAMES}).")


def encode_jpeg(image: Any, quality: int = 90) -> bytes:
    """JPEG bytes (``quality`` 90) of an opaque uint8 array (greyscale or RGB) or PIL image: the photos pages show.

    ``st.image`` sends an opaque picture to the browser as JPEG at quality 90 and re-encodes any
    other format on every rerun (a PNG photo: about 70 ms to encode, then decoded and re-encoded
    each time).  Bytes in that very format pass through untouched, for a fifth of a PNG's size.
    Pictures with an alpha channel come back as PNG (JPEG has no transparency).
    """
    from PIL import Image

    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        return encode_png(picture)
    buffer = io.BytesIO()
    picture.convert("RGB" if picture.mode not in ("L", "RGB") else picture.mode).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def encode_png(image: Any) -> bytes:
    """Lossless PNG bytes of a uint8 array (greyscale or RGB) or a PIL image: the pictures pages
    keep per session, the download buttons and the CLI's files."""
    from PIL import Image

    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
