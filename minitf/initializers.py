"""tf.initializers: TF1's initializers under their short names (``tf.initializers.zeros()``).

They are the same classes as ``tf.zeros_initializer`` & co. (``init_ops.py``).
"""
from . import tf1_api
from .init_ops import (  # noqa: F401
    Constant as constant, GlorotNormal as glorot_normal, GlorotUniform as glorot_uniform, Identity as identity,
    Ones as ones, Orthogonal as orthogonal, RandomNormal as random_normal, RandomUniform as random_uniform,
    TruncatedNormal as truncated_normal, UniformUnitScaling as uniform_unit_scaling, VarianceScaling as variance_scaling,
    Zeros as zeros, he_normal, he_uniform,
)
from .init_ops import VarianceScaling as _VarianceScaling
from .variables import (  # noqa: F401
    global_variables_initializer as global_variables, local_variables_initializer as local_variables,
    variables_initializer as variables,
)


def lecun_normal(seed=None):
    """Truncated normal with variance ``1 / fan_in`` (for SELU networks)."""
    return _VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """Uniform with variance ``1 / fan_in``."""
    return _VarianceScaling(1.0, "fan_in", "uniform", seed)


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
