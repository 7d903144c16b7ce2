"""``tf.keras.regularizers``: penalties on weights, added to the loss a model minimises."""
from __future__ import annotations

from ...ops.math_ops import abs_, add, multiply, reduce_sum, square


class Regularizer:
    """``penalty = l1 * sum(|w|) + l2 * sum(w**2)``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, weight):
        penalty = 0.0
        if self.l1:
            penalty = multiply(self.l1, reduce_sum(abs_(weight)))
        if self.l2:
            term = multiply(self.l2, reduce_sum(square(weight)))
            penalty = term if not self.l1 else add(penalty, term)
        return penalty


def l1(l1=0.01) -> Regularizer:  # noqa: E741
    return Regularizer(l1=l1)


def l2(l2=0.01) -> Regularizer:
    return Regularizer(l2=l2)


def l1_l2(l1=0.01, l2=0.01) -> Regularizer:  # noqa: E741
    return Regularizer(l1=l1, l2=l2)


L1, L2, L1L2 = l1, l2, l1_l2


def get(identifier):
    if identifier is None or callable(identifier):
        return identifier
    if identifier in ("l1", "l2", "l1_l2"):
        return globals()[identifier]()
    raise ValueError(f"Unknown regularizer: {identifier!r}")
