"""``tf.random`` of TensorFlow 2: draws, and ``set_seed`` for repeatable ones."""
from ..ops.random_ops import random_normal as normal, random_shuffle as shuffle  # noqa: F401
from ..ops.random_ops import random_uniform as uniform, truncated_normal  # noqa: F401
from .eager import context


def set_seed(seed) -> None:
    """``tf.random.set_seed``: from here on, the same program draws the same numbers.

    Each random op without a seed of its own gets one from ``seed`` and a count of the ops
    run so far, so two draws differ but repeat from run to run (TensorFlow 2's rule).
    """
    context().set_seed(seed)
