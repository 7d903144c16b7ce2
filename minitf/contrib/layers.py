"""tf.contrib.layers: Xavier initialisation, regularizers and the layers TF1 tutorials use (``fully_connected``,
``conv2d``, ``max_pool2d``, ``dropout``, ``flatten``, ``batch_norm``), named as TF1 names them.

>>> W = tf.get_variable("W", [784, 256], initializer=tf.contrib.layers.xavier_initializer())
"""
from __future__ import annotations

import math

import numpy as np

from .. import dtypes, init_ops, layers, tf1_api
from ..graph import (GraphKeys, Tensor, add_to_collection, add_to_collections, control_dependencies,
                     get_collection, name_scope)
from ..ops import array_ops, conv_ops, nn_ops, random_ops, shape_ops
from ..ops.base import convert_to_tensor
from ..ops.control_flow_ops import cond
from ..ops.math_ops import abs_, add_n, cast, matmul, maximum, multiply, reduce_sum
from ..train.moving_averages import assign_moving_average
from ..variables import get_variable, variable_scope


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=dtypes.float32):
    """Draws with variance ``factor / n`` (n = fan in, fan out or their average) -- He et al. by default.

    Uniform: ``U(-l, l)`` with ``l = sqrt(3 * factor / n)``; otherwise a normal truncated at two
    standard deviations with stddev ``sqrt(1.3 * factor / n)`` (contrib's own constant).
    """
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    if not dtypes.as_dtype(dtype).is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")

    def initializer(shape, dtype=dtype, partition_info=None):
        fan_in, fan_out = init_ops.fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return random_ops.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)

    return initializer


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot & Bengio's initialisation: ``U(-l, l)``, ``l = sqrt(6 / (fan_in + fan_out))``."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer


def _regularizer(scale, scope_name, penalty):
    if scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
    if scale == 0.0:
        return lambda weights: None

    def regularize(weights, name=None):
        with name_scope(name, scope_name, [weights]) as scope:
            scale_t = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(scale_t, penalty(weights), name=scope)

    return regularize


def l2_regularizer(scale, scope=None):
    """A function ``weights -> scale * sum(weights**2) / 2`` for ``get_variable(regularizer=...)``."""
    return _regularizer(scale, scope or "l2_regularizer", nn_ops.l2_loss)


def l1_regularizer(scale, scope=None):
    """A function ``weights -> scale * sum(|weights|)``."""
    return _regularizer(scale, scope or "l1_regularizer", lambda w: reduce_sum(abs_(w)))


def _model_variable(name, shape, dtype, initializer, regularizer, trainable, variables_collections):
    """A variable in ``MODEL_VARIABLES`` (and ``GLOBAL_VARIABLES``) as contrib's layers make them.

    ``variables_collections`` is a list of extra collections for every variable of the layer, or a
    dict ``{"weights": [...], "moving_mean": [...]}`` naming them per variable.
    """
    extra = variables_collections.get(name) if isinstance(variables_collections, dict) else variables_collections
    collections = list(extra or []) + [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return get_variable(name, shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=trainable, collections=collections)


def _collect(outputs: Tensor, outputs_collections) -> Tensor:
    """Add a layer's result to ``outputs_collections`` (if any) and return it."""
    if outputs_collections:
        add_to_collections(outputs_collections, outputs)
    return outputs


def _smart_cond(pred, true_fn, false_fn):
    """``true_fn()`` or ``false_fn()`` now for a Python bool; a ``tf.cond`` for a bool tensor."""
    if isinstance(pred, (bool, np.bool_)):
        return true_fn() if pred else false_fn()
    return cond(pred, true_fn, false_fn)


def _finish(outputs, normalizer_fn, normalizer_params, biases, activation_fn):
    """Normalise or add the biases, then apply the activation: the last steps of ``fully_connected`` and ``conv2d``."""
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    elif biases is not None:
        outputs = nn_ops.bias_add(outputs, biases)
    return outputs if activation_fn is None else activation_fn(outputs)


def fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=xavier_initializer(), weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None) -> Tensor:
    """``activation_fn(inputs @ weights + biases)`` with variables ``fully_connected/weights`` and ``/biases``.

    Note the default activation: ReLU.  With a ``normalizer_fn`` (e.g. ``batch_norm``) it replaces the
    biases: ``activation_fn(normalizer_fn(inputs @ weights, **normalizer_params))``.
    """
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape[-1].value is None:
            raise ValueError(f"The last dimension of the inputs to fully_connected must be known: {inputs}")
        dtype = inputs.dtype.base_dtype
        weights = _model_variable("weights", [inputs.shape[-1].value, num_outputs], dtype, weights_initializer,
                                  weights_regularizer, trainable, variables_collections)
        biases = None
        if normalizer_fn is None and biases_initializer is not None:
            biases = _model_variable("biases", [num_outputs], dtype, biases_initializer, biases_regularizer,
                                     trainable, variables_collections)
        outputs = _finish(matmul(inputs, weights), normalizer_fn, normalizer_params, biases, activation_fn)
        return _collect(outputs, outputs_collections)


def _two(value, what: str) -> list:
    """``3 -> [3, 3]``; ``[3, 2]`` stays: the kernel size or stride of a 2-D layer."""
    if isinstance(value, (int, np.integer)):
        return [int(value), int(value)]
    value = [int(v) for v in value]
    if len(value) != 2:
        raise ValueError(f"Must be a list with 2 elements: {value} (the {what})")
    return value


def _nhwc(data_format) -> None:
    if data_format not in (None, "NHWC"):
        raise NotImplementedError("minitf's tf.contrib.layers support data_format='NHWC' only")


def conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
           activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
           weights_initializer=xavier_initializer(), weights_regularizer=None,
           biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable=True, scope=None) -> Tensor:
    """A 2-D convolution layer: variables ``Conv/weights`` ``[kh, kw, in, num_outputs]`` and ``Conv/biases``.

    Note contrib's defaults, unlike ``tf.layers.conv2d``'s: ``padding='SAME'`` and ReLU.  A
    ``normalizer_fn`` (e.g. ``batch_norm``) replaces the biases, as in ``fully_connected``.
    """
    _nhwc(data_format)
    with variable_scope(scope, "Conv", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims != 4:
            raise ValueError(f"Input 0 of layer conv2d is incompatible with the layer: expected ndim=4, found "
                             f"ndim={inputs.shape.ndims}. Full shape received: {inputs.shape}")
        if inputs.shape[-1].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        kernel = _two(kernel_size, "kernel_size") + [inputs.shape[-1].value, num_outputs]
        weights = _model_variable("weights", kernel, dtype, weights_initializer, weights_regularizer, trainable,
                                  variables_collections)
        biases = None
        if normalizer_fn is None and biases_initializer is not None:
            biases = _model_variable("biases", [num_outputs], dtype, biases_initializer, biases_regularizer,
                                     trainable, variables_collections)
        outputs = conv_ops.conv2d(inputs, weights, strides=[1, *_two(stride, "stride"), 1], padding=padding.upper(),
                                  dilations=[1, *_two(rate, "rate"), 1])
        outputs = _finish(outputs, normalizer_fn, normalizer_params, biases, activation_fn)
        return _collect(outputs, outputs_collections)


convolution2d = conv2d


def _pool(pool, default_name, inputs, kernel_size, stride, padding, data_format, outputs_collections, scope):
    _nhwc(data_format)
    with name_scope(scope, default_name, [inputs]):
        outputs = pool(inputs, [1, *_two(kernel_size, "kernel_size"), 1], [1, *_two(stride, "stride"), 1],
                       padding.upper())
        return _collect(outputs, outputs_collections)


def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None) -> Tensor:
    """The maximum of each ``kernel_size`` window (``MaxPool2D/MaxPool``); by default stride 2, no padding."""
    return _pool(conv_ops.max_pool, "MaxPool2D", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None) -> Tensor:
    """The mean of each ``kernel_size`` window (``AvgPool2D/AvgPool``); by default stride 2, no padding."""
    return _pool(conv_ops.avg_pool, "AvgPool2D", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None, scope=None,
            seed=None) -> Tensor:
    """Keep each input with probability ``keep_prob`` (scaled by ``1 / keep_prob``) while ``is_training``.

    Note the defaults, unlike ``tf.layers.dropout``'s: ``keep_prob`` (not ``rate``) and
    ``is_training=True``.  ``is_training`` may be a bool tensor (a ``tf.cond`` chooses at run time).
    """
    with variable_scope(scope, "Dropout", [inputs]):
        inputs = convert_to_tensor(inputs)
        outputs = _smart_cond(   # "dropout_1": the name TF 1.15 gives these ops here
            is_training, lambda: nn_ops.dropout(inputs, noise_shape=noise_shape, seed=seed, rate=1 - keep_prob,
                                                name="dropout_1"),
            lambda: array_ops.identity(inputs))
        return _collect(outputs, outputs_collections)


def flatten(inputs, outputs_collections=None, scope=None) -> Tensor:
    """``[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]`` (``tf.layers.flatten`` inside ``Flatten/``)."""
    with name_scope(scope, "Flatten", [inputs]):
        return _collect(layers.Flatten(name="flatten")(inputs), outputs_collections)


def apply_regularization(regularizer, weights_list=None) -> Tensor:
    """The sum of ``regularizer(w)`` over ``weights_list`` (default: ``tf.GraphKeys.WEIGHTS``), a scalar
    added to ``tf.GraphKeys.REGULARIZATION_LOSSES``, e.g. ``apply_regularization(l2_regularizer(1e-4), ws)``."""
    weights_list = weights_list or get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [array_ops.constant(0.0) if p is None else p for p in penalties]
        for p in penalties:
            if p.shape.ndims != 0:
                raise ValueError(f"regularizer must return a scalar Tensor instead of a Tensor with rank "
                                 f"{p.shape.ndims}.")
        penalty = add_n(penalties, name=scope)
        add_to_collection(GraphKeys.REGULARIZATION_LOSSES, penalty)
        return penalty


# ---- batch_norm ----------------------------------------------------------------------------------
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False, scope=None,
               renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None) -> Tensor:
    """Normalise each channel (the last axis) with the batch's mean and variance while ``is_training``,
    with the moving averages ``BatchNorm/moving_mean`` and ``moving_variance`` otherwise; then
    ``* gamma`` (only if ``scale``: off by default) ``+ beta`` (if ``center``) and ``activation_fn``.

    While training, each run moves the averages towards the batch's statistics
    (``average -= (average - batch) * (1 - decay)``) through ops put in ``updates_collections``:
    ``tf.GraphKeys.UPDATE_OPS`` by default, which the training op must run --
    ``with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):`` -- or, with
    ``updates_collections=None``, on every run of the output itself.

    As in TF1, 2-D and 4-D inputs take the "fused" kernel's route (``fused=None``): the moving
    variance follows the unbiased batch variance (``* n / (n - 1)``); other ranks and ``fused=False``
    use ``tf.nn.moments``'s (biased) variance.  ``is_training`` may be a bool tensor.
    """
    for value, default, what in ((batch_weights, None, "batch_weights"), (renorm, False, "renorm"),
                                 (adjustment, None, "adjustment"), (data_format, "NHWC", "data_format"),
                                 (zero_debias_moving_mean, False, "zero_debias_moving_mean")):
        if value != default:
            raise NotImplementedError(f"batch_norm({what}={value!r}) is not supported by minitf")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        channels = inputs.shape[-1].value
        if channels is None:
            raise ValueError(f"Inputs {inputs.name} has undefined last dimension {inputs.shape}.")
        fused = fused is not False and rank in (2, 4)
        # TF1 hands 4-D inputs and the non-fused route with the default collections to tf.layers'
        # BatchNormalization, which makes gamma before beta and collects the update ops themselves.
        core_layer = updates_collections == GraphKeys.UPDATE_OPS and not (fused and rank == 2)
        beta, gamma, moving_mean, moving_variance = _batch_norm_variables(
            channels, inputs.dtype.base_dtype, center, scale, param_initializers or {}, param_regularizers or {},
            trainable, variables_collections, gamma_first=core_layer)
        averages = (moving_mean, moving_variance)
        if fused:
            outputs = _fused_batch_norm(inputs, channels, averages, beta, gamma, epsilon, decay, is_training,
                                        updates_collections, core_layer)
        else:
            outputs = _batch_norm_with_moments(inputs, averages, beta, gamma, epsilon, decay, is_training,
                                               updates_collections, core_layer)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs, outputs_collections)


def _batch_norm_variables(channels, dtype, center, scale, initializers, regularizers, trainable,
                          variables_collections, gamma_first):
    """``beta`` and ``gamma`` (None where turned off), ``moving_mean`` and ``moving_variance`` (not trainable)."""
    defaults = {"beta": init_ops.zeros_initializer(), "gamma": init_ops.ones_initializer(),
                "moving_mean": init_ops.zeros_initializer(), "moving_variance": init_ops.ones_initializer()}

    def make(name, trainable_here):
        return _model_variable(name, [channels], dtype, initializers.get(name, defaults[name]),
                               regularizers.get(name), trainable_here, variables_collections)

    wanted = [name for name, on in (("beta", center), ("gamma", scale)) if on]
    made = {name: make(name, trainable) for name in (wanted[::-1] if gamma_first else wanted)}
    return made.get("beta"), made.get("gamma"), make("moving_mean", False), make("moving_variance", False)


def _moving_average_updates(is_training, averages, mean, variance, decay, updates_collections, core_layer,
                            outputs):
    """Move the averages towards ``mean`` and ``variance`` while training: collect the update ops, or
    (``updates_collections=None``) make ``outputs`` (a tensor or a tuple) wait for them.  Returns the outputs."""
    if isinstance(is_training, (bool, np.bool_)) and not is_training:
        return outputs

    def update():
        return tuple(assign_moving_average(average, value, decay)
                     for average, value in zip(averages, (mean, variance)))

    if updates_collections is None:
        def update_then_output():
            with control_dependencies(update()):
                if isinstance(outputs, tuple):
                    return tuple(array_ops.identity(output) for output in outputs)
                return array_ops.identity(outputs)
        return _smart_cond(is_training, update_then_output, lambda: outputs)
    updates = _smart_cond(is_training, update, lambda: tuple(average.value() for average in averages))
    for update_op in updates:
        add_to_collections(updates_collections, update_op.op if core_layer else update_op)
    return outputs


def _fused_batch_norm(inputs, channels, averages, beta, gamma, epsilon, decay, is_training, updates_collections,
                      core_layer):
    """TF1's fused route (2-D and 4-D inputs): one normalisation per branch; a 2-D input goes through
    ``[-1, 1, 1, channels]`` and back, so its output is ``BatchNorm/Reshape_1``."""
    x = shape_ops.reshape(inputs, [-1, 1, 1, channels]) if inputs.shape.ndims == 2 else inputs

    def normalise(mean, variance):   # named as the output of TF1's FusedBatchNormV3 kernel
        return array_ops.identity(nn_ops.batch_normalization(x, mean, variance, beta, gamma, epsilon),
                                  name="FusedBatchNormV3")

    def training():
        mean, variance = nn_ops.moments(x, [0, 1, 2])
        count = cast(shape_ops.size(x), x.dtype.base_dtype) / channels
        return normalise(mean, variance), mean, variance * count / maximum(count - 1.0, 1.0)

    def inference():
        return (normalise(*(average.value() for average in averages)),) + tuple(a.value() for a in averages)

    outputs, mean, variance = _smart_cond(is_training, training, inference)
    outputs = _moving_average_updates(is_training, averages, mean, variance, decay, updates_collections,
                                      core_layer, outputs)
    if inputs.shape.ndims == 2:
        outputs = shape_ops.reshape(outputs, shape_ops.shape(inputs))
        outputs.set_shape(inputs.shape)
    return outputs


def _batch_norm_with_moments(inputs, averages, beta, gamma, epsilon, decay, is_training, updates_collections,
                             core_layer):
    """TF1's non-fused route: the batch's ``tf.nn.moments`` (or the averages) feed one ``batch_normalization``."""
    axes = list(range(inputs.shape.ndims - 1))
    mean, variance = _smart_cond(is_training, lambda: nn_ops.moments(inputs, axes),
                                 lambda: tuple(average.value() for average in averages))
    mean, variance = _moving_average_updates(is_training, averages, mean, variance, decay, updates_collections,
                                             core_layer, (mean, variance))
    # "batchnorm_1": the name TF 1.15 gives this normalisation
    return nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, epsilon, name="batchnorm_1")

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
