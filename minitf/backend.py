"""The array seam: the one module that knows which array library runs the kernels.

minitf computes with numpy by default and with cupy on a GPU, like DeZero's
``get_array_module``.  Every kernel writes ``xp.exp(x)`` instead of ``numpy.exp(x)``;
``xp`` is chosen once, at import, from the ``MINITF_BACKEND`` environment variable:

* ``numpy``  -- the default on a machine without a GPU;
* ``cupy``   -- arrays live on the GPU (chosen automatically when cupy and a GPU are present,
  as TensorFlow 1 used a GPU when it had one; ``pip install "minitf-course[gpu]"``);
* ``strict`` -- the test suite's stand-in for a GPU (``tests/strict_backend.py``): numpy behind a
  distinct array type that refuses to be mixed with numpy arrays, so any kernel that bypasses
  ``xp`` fails.

Values cross the seam in two places only: ``from_numpy`` (constants, fed values, random draws,
variable loads) and ``to_numpy`` (``Session.run`` always hands back numpy values, as TF1 did).
"""
from __future__ import annotations

import os

import numpy


def _select():
    wanted = os.environ.get("MINITF_BACKEND", "").strip().lower()
    if wanted in ("", "auto"):
        try:
            import cupy

            if cupy.cuda.runtime.getDeviceCount() > 0:
                return cupy, "cupy"
        except Exception:  # no cupy, or cupy without a usable GPU
            pass
        return numpy, "numpy"
    if wanted == "numpy":
        return numpy, "numpy"
    if wanted == "cupy":
        import cupy

        return cupy, "cupy"
    if wanted == "strict":
        try:
            import strict_backend
        except ImportError:
            raise ImportError("MINITF_BACKEND=strict is the test backend tests/strict_backend.py: "
                              "put tests/ on the path (PYTHONPATH=tests) or run it under pytest") from None
        return strict_backend, "strict"
    raise ImportError(f"MINITF_BACKEND must be 'numpy', 'cupy' or 'strict', not {wanted!r}")


xp, name = _select()


def to_numpy(array):
    """A backend array as a numpy array (a copy from the GPU under cupy; the array itself under numpy)."""
    return array if xp is numpy else xp.asnumpy(array)


def from_numpy(array: numpy.ndarray):
    """A numpy array as a backend array (strings stay numpy arrays: no GPU holds Python bytes)."""
    if xp is numpy or array.dtype == object:
        return array
    return xp.asarray(array)
