"""``tf.nn`` of TensorFlow 2: TF1's functions, with TF2's argument order where it changed."""
from ..nn import (  # noqa: F401
    avg_pool, batch_normalization, bias_add, elu, embedding_lookup, in_top_k, l2_loss, leaky_relu, log_softmax,
    max_pool, moments, relu, relu6, sigmoid, sigmoid_cross_entropy_with_logits as _sigmoid_xent, softmax,
    softmax_cross_entropy_with_logits_v2, softplus, sparse_softmax_cross_entropy_with_logits as _sparse_xent,
    tanh, top_k,
)
from ..nn import conv2d as _conv2d, dropout as _dropout


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """``tf.nn.dropout(x, rate)``: TF2 takes the drop ``rate`` (TF1's second argument was ``keep_prob``)."""
    return _dropout(x, noise_shape=noise_shape, seed=seed, name=name, rate=rate)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross entropy of one-hot (or soft) ``labels`` with ``softmax(logits)``, per example."""
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=axis, name=name)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross entropy of class ids ``labels`` with ``softmax(logits)``, per example."""
    return _sparse_xent(labels=labels, logits=logits, name=name)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    return _sigmoid_xent(labels=labels, logits=logits, name=name)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1), name=None):  # noqa: A002
    """``tf.nn.conv2d`` (TF2 calls TF1's ``filter`` argument ``filters``)."""
    return _conv2d(input, filters, strides, padding, data_format=data_format, dilations=dilations, name=name)


max_pool2d = max_pool
avg_pool2d = avg_pool
