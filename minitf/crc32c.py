"""CRC-32C: the checksum that guards TensorFlow's files (notebook 07).

Event files frame every record with one (see :mod:`minitf.summary.event_file`), and checkpoints
keep one per table block of the ``.index`` file and one per tensor in the ``.data`` file (see
:mod:`minitf.train.tensor_bundle`).  A reader recomputes it and so notices a torn or damaged
file instead of returning wrong values.

The checksum itself comes from ``google-crc32c`` (Google's C implementation, with a pure-Python
fallback where no wheel fits): a checkpoint's data is megabytes, too much for a Python loop.
"""
from __future__ import annotations

try:
    import google_crc32c
except ImportError:  # a source checkout without the package's dependencies: fail when used
    google_crc32c = None

_MASK_DELTA = 0xA282EAD8
_CHUNK = 1 << 20


def crc32c(data: bytes | bytearray | memoryview, crc: int = 0) -> int:
    """The CRC-32C of ``data``, continuing from ``crc`` (the checksum of the bytes before).

    google-crc32c takes only ``bytes``: other buffers (a numpy array's memory, a ``bytearray``)
    are copied a megabyte at a time, so a large tensor is never copied whole.
    """
    if google_crc32c is None:
        raise ImportError("checkpoints and event files need google-crc32c, a dependency of "
                          "minitf-course: pip install google-crc32c")
    if isinstance(data, bytes):
        return google_crc32c.extend(crc, data)
    view = memoryview(data).cast("B")
    for start in range(0, len(view), _CHUNK):
        crc = google_crc32c.extend(crc, view[start:start + _CHUNK].tobytes())
    return crc


def mask(crc: int) -> int:
    """A CRC as TensorFlow stores it: rotated and offset, so that the CRC of data that itself
    holds CRCs does not degenerate."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """The inverse of :func:`mask`."""
    rotated = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rotated >> 17) | (rotated << 15)) & 0xFFFFFFFF


def masked_crc32c(data: bytes | memoryview) -> int:
    """``mask(crc32c(data))``: the checksum as a TFRecord or a table block stores it."""
    return mask(crc32c(data))
