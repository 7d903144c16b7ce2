"""``tf.keras.backend``: layer names (``dense``, ``dense_1``...), the float type, ``clear_session``."""
from __future__ import annotations

import collections

_uids: collections.Counter = collections.Counter()


def unique_name(prefix: str) -> str:
    """``dense`` the first time, then ``dense_1``, ``dense_2``... (per process, as Keras names layers)."""
    count = _uids[prefix]
    _uids[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def clear_session() -> None:
    """Start layer names again from ``dense``, ``sequential``..."""
    _uids.clear()


def floatx() -> str:
    return "float32"


def epsilon() -> float:
    """The fuzz factor of losses and metrics (clipping probabilities away from 0 and 1)."""
    return 1e-7
