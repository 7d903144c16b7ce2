"""``tf.keras.utils``: ``to_categorical`` (class ids to one-hot rows)."""
from __future__ import annotations

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32") -> np.ndarray:
    """``[2, 0] -> [[0, 0, 1], [1, 0, 0]]``: one row per label, 1 at the label's column."""
    y = np.asarray(y, dtype=np.int64)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y[..., 0]
    num_classes = int(y.max()) + 1 if num_classes is None else int(num_classes)
    return np.eye(num_classes, dtype=dtype)[y]
