"""tf.nn: activations, softmax and cross entropy, convolution and pooling, dropout (notebooks 05-07)."""
from . import tf1_api
from .ops.array_ops import stop_gradient  # noqa: F401
from .ops.conv_ops import (  # noqa: F401
    avg_pool, avg_pool_v2, conv2d, conv2d_backprop_filter, conv2d_backprop_input, conv2d_transpose, max_pool,
    max_pool2d,
)
from .ops.math_ops import sigmoid, tanh  # noqa: F401
from .rnn import dynamic_rnn, rnn_cell, static_rnn  # noqa: F401
from .ops.nn_ops import (  # noqa: F401
    batch_normalization, bias_add, crelu, dropout, elu, embedding_lookup, in_top_k, l2_loss, l2_normalize, leaky_relu,
    local_response_normalization, log_softmax, lrn, moments, relu, relu6, relu_layer, selu,
    sigmoid_cross_entropy_with_logits, softmax, softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2, softplus, softsign, sparse_softmax_cross_entropy_with_logits, top_k,
    swish, weighted_cross_entropy_with_logits, xw_plus_b, zero_fraction,
)

max_pool_v2 = max_pool2d

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
