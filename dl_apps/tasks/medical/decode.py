"""Uploaded bytes → :class:`MedicalImage`: pictures through the hub's safe decoder, DICOM with pydicom.

Pictures (PNG, JPEG, ...) are opened by :func:`dl_apps.media.image.open_image` (allow-list of
formats, pixel cap read from the header, EXIF orientation, first frame) and keep their grey
levels, 16-bit range included.  DICOM is medical-specific but uses the same pixel cap and the
same ``image_*`` error codes.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from dl_apps.core import InputError, check_upload, notice
from dl_apps.media.image import MAX_PIXELS, open_image, too_many_pixels
from dl_apps.tasks.medical.images import MedicalImage, colourfulness, image_from_array

MAX_UPLOAD_BYTES = 30 * 1024 * 1024  # DICOM series frames can be large
NOT_AN_IMAGE = "This file is not an image that can be read (use PNG, JPEG or DICOM)."


def is_dicom(data: bytes) -> bool:
    """DICOM Part 10 files have 'DICM' after a 128-byte preamble."""
    return len(data) >= 132 and data[128:132] == b"DICM"


def decode_image(data: bytes, window: tuple[float, float] | None = None) -> MedicalImage:
    """Decode uploaded bytes (PNG, JPEG, other PIL formats, or DICOM) in memory.

    ``window`` = (centre, width) for DICOM windowing; by default the file's own window,
    else the 0.5-99.5 percentile range.  Raises InputError for empty, huge, unreadable,
    pixel-less or undecodable files.
    """
    check_upload(data, MAX_UPLOAD_BYTES)
    if is_dicom(data):
        return decode_dicom(data, window)
    return _decode_picture(data)



def _decode_picture(data: bytes) -> MedicalImage:
    try:
        picture = open_image(data, MAX_UPLOAD_BYTES, MAX_PIXELS)
    except InputError as error:
        if error.code not in ("image_not_an_image", "image_corrupt"):
            raise
        try:
            return decode_dicom(data, None)  # a DICOM without the Part 10 preamble
        except InputError:
            pass
        if error.code == "image_not_an_image":
            raise InputError("image_not_an_image", NOT_AN_IMAGE) from None
        raise
    kind = (picture.format or "image").lower()
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        array = np.asarray(picture, dtype=np.float32)
        result = image_from_array(array, source=kind)
    elif picture.mode in ("L", "1", "P", "LA") and not _palette_has_colour(picture):
        result = image_from_array(np.asarray(picture.convert("L")), source=kind)
        result.rgb = np.asarray(picture.convert("RGB"))
    else:
        result = image_from_array(np.asarray(picture.convert("RGB")), source=kind)
    return result


def _palette_has_colour(picture: Any) -> bool:
    if picture.mode != "P":
        return False
    rgb = np.asarray(picture.convert("RGB"))
    return colourfulness(rgb) > 0.01


def decode_dicom(data: bytes, window: tuple[float, float] | None = None) -> MedicalImage:
    """A DICOM file's (middle) frame, modality LUT applied, then windowed to [0, 1]."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        dataset = pydicom.dcmread(io.BytesIO(data), force=True)
    except (InvalidDicomError, OSError, ValueError, EOFError, KeyError, TypeError):
        raise InputError("image_not_an_image", NOT_AN_IMAGE) from None
    if "PixelData" not in dataset and "FloatPixelData" not in dataset and "DoubleFloatPixelData" not in dataset:
        raise InputError("medical_dicom_no_pixels", "This DICOM file has no image (no pixel data).")
    syntax = dataset.file_meta.get("TransferSyntaxUID") if hasattr(dataset, "file_meta") else None
    rows, columns = int(dataset.get("Rows", 0) or 0), int(dataset.get("Columns", 0) or 0)
    if rows * columns > MAX_PIXELS:
        raise too_many_pixels(columns, rows, MAX_PIXELS)
    try:
        pixels = dataset.pixel_array
    except Exception as error:  # pydicom raises NotImplementedError/RuntimeError/ValueError per plugin
        syntax_name = getattr(syntax, "name", str(syntax or "unknown"))
        if syntax is not None and getattr(syntax, "is_compressed", False):
            raise InputError(
                "medical_dicom_compressed",
                f"This DICOM image is compressed ({syntax_name}) in a way we cannot decode here; "
                "export it uncompressed or as PNG.",
                syntax=syntax_name,
            ) from None
        raise InputError("medical_dicom_unreadable", f"The DICOM pixel data cannot be read ({type(error).__name__}).") from None
    notices: list[dict[str, Any]] = []
    frames = int(dataset.get("NumberOfFrames", 1) or 1)
    samples = int(dataset.get("SamplesPerPixel", 1) or 1)
    if frames > 1:
        middle = frames // 2
        pixels = pixels[middle]
        notices.append(notice("medical_dicom_frame", f"This DICOM has {frames} frames; frame {middle + 1} is shown.", frames=frames, frame=middle + 1))
    if samples == 3:
        from pydicom.pixels import convert_color_space

        if str(dataset.get("PhotometricInterpretation", "RGB")).startswith("YBR"):
            pixels = convert_color_space(pixels, dataset.PhotometricInterpretation, "RGB")
        image = image_from_array(np.asarray(pixels), source="dicom")
        image.notices.extend(notices)
        return image
    from pydicom.pixels import apply_modality_lut

    values = apply_modality_lut(np.asarray(pixels), dataset).astype(np.float32)
    if str(dataset.get("PhotometricInterpretation", "")) == "MONOCHROME1":
        values = values.max() - values  # MONOCHROME1: high values are dark
    centre_width = window or _dicom_window(dataset)
    if centre_width is not None:
        centre, width = centre_width
        width = max(float(width), 1.0)
        low, high = centre - width / 2.0, centre + width / 2.0
        notices.append(notice("medical_dicom_window", f"DICOM window: centre {centre:g}, width {width:g}.", centre=round(centre, 1), width=round(width, 1)))
    else:
        low, high = (float(v) for v in np.percentile(values, [0.5, 99.5]))
    grey = np.clip((values - low) / max(high - low, 1e-6), 0.0, 1.0).astype(np.float32)
    image = MedicalImage(pixels=grey, source="dicom", notices=notices)
    return image


def _dicom_window(dataset: Any) -> tuple[float, float] | None:
    """The file's first (WindowCenter, WindowWidth), if it has one."""
    centre, width = dataset.get("WindowCenter"), dataset.get("WindowWidth")
    if centre is None or width is None:
        return None

    def first(value: Any) -> float:  # multi-valued tags hold several windows
        return float(value[0]) if hasattr(value, "__len__") and not isinstance(value, str) else float(value)

    try:
        return first(centre), first(width)
    except (TypeError, ValueError, IndexError):
        return None

