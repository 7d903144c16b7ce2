"""Central finite differences: the numbers a gradient test compares an analytic gradient with."""
import numpy as np


def numeric_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x, entry by entry: ``(f(x + eps) - f(x - eps)) / (2 eps)`` for a scalar function ``f``."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad
