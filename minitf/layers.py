"""tf.layers: dense, convolution, pooling, dropout and flatten layers with TF1's names (notebook 07).

A layer is an object that creates its variables the first time it is called, inside a variable
scope named after it: the first ``tf.layers.dense`` owns ``dense/kernel`` and ``dense/bias``
and names its ops ``dense/MatMul``, ``dense/BiasAdd``; the next one is ``dense_1``.  With
``name='fc1'`` the scope is ``fc1``, and ``reuse=True`` shares ``fc1``'s variables.

>>> h = tf.layers.dense(x, 128, activation=tf.nn.relu)      # x: [None, 784] -> h: [None, 128]
>>> [v.name for v in tf.trainable_variables()]
['dense/kernel:0', 'dense/bias:0']
"""
from __future__ import annotations

import re
import weakref

import numpy as np

from . import init_ops, tf1_api
from .graph import GraphKeys, Tensor, add_to_collection, get_default_graph, name_scope
from .ops import array_ops, conv_ops, nn_ops, shape_ops
from .ops.base import convert_to_tensor
from .ops.control_flow_ops import cond
from .ops.math_ops import cast, matmul
from .ops.state_ops import assign_sub
from .variables import get_variable, variable_scope


class Layer:
    """Base class: ``build`` creates the variables (once), ``call`` adds the ops (each call)."""

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        if kwargs.get("activity_regularizer") is not None:
            raise NotImplementedError("activity_regularizer is not supported by minitf's tf.layers")
        self.trainable = trainable
        self.dtype = dtype
        self._given_name = name
        self._reuse = _reuse
        self._scope = None
        self._variables: list = []
        self.built = False
        self._input_name = name or _numbered(self._base_name)   # how TF1's input checks name the layer

    @property
    def _base_name(self) -> str:
        """``Dense`` -> ``dense``, ``MaxPooling2D`` -> ``max_pooling2d`` (the default scope name)."""
        return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", type(self).__name__).lower().replace("2_d", "2d")

    name = property(lambda self: self._scope.name if self._scope else self._given_name)
    variables = weights = property(lambda self: list(self._variables))
    trainable_variables = trainable_weights = property(
        lambda self: [v for v in self._variables if v.trainable])

    def __call__(self, inputs, *args, **kwargs):
        """Add this layer's ops to the graph (creating its variables on the first call)."""
        if self._scope is None:
            with variable_scope(self._given_name, default_name=self._base_name, reuse=self._reuse) as scope:
                self._scope = scope
        with variable_scope(self._scope, reuse=True if self.built else self._reuse, auxiliary_name_scope=False), \
                name_scope(self._scope.original_name_scope):
            inputs = convert_to_tensor(inputs)
            if not self.built:
                self.build(inputs.shape)
                self.built = True
            return self.call(inputs, *args, **kwargs)

    apply = __call__

    def add_weight(self, name, shape, initializer=None, regularizer=None, constraint=None, trainable=True):
        variable = get_variable(name, shape=shape, dtype=self.dtype, initializer=initializer,
                                regularizer=regularizer, constraint=constraint,
                                trainable=trainable and self.trainable)
        self._variables.append(variable)
        return variable

    def build(self, input_shape) -> None:
        """Create the variables (none by default)."""

    def _refuse_rank(self, input_shape, expected: str) -> None:
        """TF1's error for an input of the wrong rank (``expected``: ``ndim=4``, ``: expected min_ndim=2``)."""
        received = "?" if input_shape.dims is None else input_shape.as_list()
        raise ValueError(f"Input 0 of layer {self._input_name} is incompatible with the layer: {expected}, found "
                         f"ndim={input_shape.ndims}. Full shape received: {received}")

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError


_LAYERS_MADE = weakref.WeakKeyDictionary()   # graph -> {base name: layers made in it}


def _numbered(base: str) -> str:
    """TF1's Keras name of a new layer: ``dense_1`` for the first dense layer of the graph, then ``dense_2``..."""
    made = _LAYERS_MADE.setdefault(get_default_graph(), {})
    made[base] = made.get(base, 0) + 1
    return f"{base}_{made[base]}"


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``; ``kernel`` is ``[input units, units]``."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.units, self.activation, self.use_bias = int(units), activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        if input_shape.ndims is not None and input_shape.ndims < 2:
            self._refuse_rank(input_shape, ": expected min_ndim=2")   # TF1 prints the colon twice
        if input_shape.ndims is None or input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        self.kernel = self.add_weight("kernel", [input_shape[-1].value, self.units],
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def call(self, inputs):
        inputs = cast(inputs, self.kernel.dtype.base_dtype)
        if inputs.shape.ndims is not None and inputs.shape.ndims > 2:   # apply to the last axis of every item
            dims = inputs.shape.as_list()
            flat = shape_ops.reshape(inputs, [-1, dims[-1]])
            outputs = shape_ops.reshape(matmul(flat, self.kernel),
                                        array_ops.concat([shape_ops.shape(inputs)[:-1], [self.units]], 0))
            outputs.set_shape(dims[:-1] + [self.units])
        else:
            outputs = matmul(inputs, self.kernel)
        return _finish(self, outputs)


def _finish(layer, outputs):
    """Add the bias and apply the activation, the last steps of dense and conv layers."""
    if layer.use_bias:
        outputs = nn_ops.bias_add(outputs, layer.bias)
    return outputs if layer.activation is None else layer.activation(outputs)


def _pair(value, what) -> tuple:
    if isinstance(value, int):
        return value, value
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {value}")
    return value


def _padding(padding) -> str:
    padding = padding.upper()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: {padding.lower()}")
    return padding


def _channels_last(data_format):
    if data_format not in (None, "channels_last"):
        raise ValueError("minitf's tf.layers support data_format='channels_last' only")


class Conv2D(Layer):
    """A 2-D convolution layer: ``filters`` kernels of ``kernel_size``, bias and activation."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        _channels_last(data_format)
        self.filters, self.kernel_size = int(filters), _pair(kernel_size, "kernel_size")
        self.strides, self.padding = _pair(strides, "strides"), _padding(padding)
        self.dilation_rate = _pair(dilation_rate, "dilation_rate")
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        if input_shape.ndims != 4:
            self._refuse_rank(input_shape, "expected ndim=4")
        if input_shape[-1].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self.kernel = self.add_weight("kernel", self._kernel_shape(input_shape[-1].value),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def _kernel_shape(self, channels: int) -> list:
        return list(self.kernel_size) + [channels, self.filters]

    def call(self, inputs):
        outputs = conv_ops.conv2d(inputs, self.kernel, strides=[1, *self.strides, 1], padding=self.padding,
                                  dilations=[1, *self.dilation_rate, 1])
        return _finish(self, outputs)


class _Pooling2D(Layer):
    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        _channels_last(data_format)
        self.pool_size, self.strides = _pair(pool_size, "pool_size"), _pair(strides, "strides")
        self.padding = _padding(padding)

    def call(self, inputs):
        return self.pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class MaxPooling2D(_Pooling2D):
    """The maximum of each ``pool_size`` window."""

    pool = staticmethod(conv_ops.max_pool)


class AveragePooling2D(_Pooling2D):
    """The mean of each ``pool_size`` window."""

    pool = staticmethod(conv_ops.avg_pool)


class Dropout(Layer):
    """``tf.nn.dropout`` with ``rate`` when ``training`` (a bool or a bool tensor), the identity otherwise."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        if isinstance(training, (bool, np.bool_)):
            if not training:
                return array_ops.identity(inputs)
            return nn_ops.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate)
        # a bool tensor (e.g. a placeholder): a tf.cond, as TF1's smart_cond builds it (dropout/cond/Merge)
        return cond(
            training, lambda: nn_ops.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate),
            lambda: array_ops.identity(inputs))


class Flatten(Layer):
    """``[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]``."""

    def call(self, inputs):
        dims = inputs.shape.as_list() if inputs.shape.dims is not None else None
        if dims is not None and None not in dims[1:]:
            return shape_ops.reshape(inputs, [-1, int(np.prod(dims[1:], dtype=np.int64))])
        outputs = shape_ops.reshape(inputs, array_ops.stack([shape_ops.shape(inputs)[0], -1]))
        if dims is not None:
            outputs.set_shape([dims[0], None])
        return outputs


# ---- the functional interface -------------------------------------------------------------------
def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
          reuse=None) -> Tensor:
    """``tf.layers.dense``: a fully connected layer (variables ``<name>/kernel``, ``<name>/bias``)."""
    return Dense(units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                 bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, trainable, name,
                 _reuse=reuse)(inputs)


class Conv2DTranspose(Conv2D):
    """A transposed 2-D convolution ("deconvolution") layer: ``tf.nn.conv2d_transpose`` through a kernel
    ``[kh, kw, filters, in]``, then bias and activation; each image side grows by ``strides``
    (``size * stride`` with 'same' padding, ``size * stride + max(k - stride, 0)`` with 'valid')."""

    _base_name = "conv2d_transpose"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 activation=None, use_bias=True, kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, (1, 1), activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, trainable, name, **kwargs)

    def _kernel_shape(self, channels: int) -> list:
        return list(self.kernel_size) + [self.filters, channels]

    def call(self, inputs):
        sizes = shape_ops.shape(inputs)
        sides = [(sizes[i] if inputs.shape[i].value is None else inputs.shape[i].value) * stride
                 + (max(kernel - stride, 0) if self.padding == "VALID" else 0)
                 for i, kernel, stride in zip((1, 2), self.kernel_size, self.strides)]
        output_shape = array_ops.stack([sizes[0]] + sides + [self.filters])
        outputs = conv_ops.conv2d_transpose(inputs, self.kernel, output_shape, [1, *self.strides, 1], self.padding)
        outputs.set_shape([inputs.shape[0].value] + [side if isinstance(side, int) else None for side in sides]
                          + [self.filters])
        return _finish(self, outputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                     name=None, reuse=None) -> Tensor:
    """``tf.layers.conv2d_transpose``: a transposed convolution layer (see :class:`Conv2DTranspose`)."""
    return Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation, use_bias,
                           kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                           activity_regularizer, kernel_constraint, bias_constraint, trainable, name,
                           _reuse=reuse)(inputs)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None) -> Tensor:
    """``tf.layers.conv2d``: NHWC convolution layer, kernel ``[kh, kw, in, filters]`` (``conv2d/kernel``)."""
    return Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                  kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
                  kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)(inputs)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None) -> Tensor:
    """``tf.layers.max_pooling2d``: e.g. ``pool_size=2, strides=2`` halves height and width."""
    return MaxPooling2D(pool_size, strides, padding, data_format, name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None) -> Tensor:
    """``tf.layers.average_pooling2d``."""
    return AveragePooling2D(pool_size, strides, padding, data_format, name)(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None) -> Tensor:
    """``tf.layers.dropout``: drops a fraction ``rate`` of the inputs only when ``training`` is True.

    Note the default ``training=False``: pass ``training=True`` (or a bool placeholder) to drop.
    """
    return Dropout(rate, noise_shape, seed, name)(inputs, training=training)


def flatten(inputs, name=None, data_format="channels_last") -> Tensor:
    """``tf.layers.flatten``: keep the batch dimension, flatten the rest."""
    _channels_last(data_format)
    return Flatten(name=name)(inputs)


class BatchNormalization(Layer):
    """Normalise each channel with the batch's statistics while training, and with moving averages
    (``moving_mean``, ``moving_variance``, not trainable) otherwise.

    As in TF1, the moving averages are updated by ops in ``tf.GraphKeys.UPDATE_OPS``, which the
    training op must run: ``with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):``.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(), gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.axis, self.momentum, self.epsilon, self.center, self.scale = axis, momentum, epsilon, center, scale
        self.initializers = (beta_initializer, gamma_initializer, moving_mean_initializer,
                             moving_variance_initializer)
        self.regularizers = (beta_regularizer, gamma_regularizer)

    def build(self, input_shape):
        if input_shape.ndims is None or input_shape[self.axis].value is None:
            raise ValueError(f"Input has undefined `axis` dimension. Input shape: {input_shape}")
        channels = [input_shape[self.axis].value]
        beta_init, gamma_init, mean_init, variance_init = self.initializers
        self.gamma = self.add_weight("gamma", channels, initializer=gamma_init,
                                     regularizer=self.regularizers[1]) if self.scale else None
        self.beta = self.add_weight("beta", channels, initializer=beta_init,
                                    regularizer=self.regularizers[0]) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", channels, initializer=mean_init, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", channels, initializer=variance_init,
                                               trainable=False)

    def call(self, inputs, training=False):
        rank = inputs.shape.ndims
        axes = [i for i in range(rank) if i != self.axis % rank]
        mean, variance = nn_ops.moments(inputs, axes)

        def normalise(m, v):
            return nn_ops.batch_normalization(inputs, m, v, self.beta, self.gamma, self.epsilon)

        if isinstance(training, (bool, np.bool_)):
            if not training:
                return normalise(self.moving_mean.value(), self.moving_variance.value())
            outputs, batch_mean, batch_variance = normalise(mean, variance), mean, variance
        else:   # a bool tensor: batch statistics when it is true, moving averages otherwise
            outputs = cond(training, lambda: normalise(mean, variance),
                           lambda: normalise(self.moving_mean.value(), self.moving_variance.value()))
            batch_mean = cond(training, lambda: mean, lambda: self.moving_mean.value())
            batch_variance = cond(training, lambda: variance, lambda: self.moving_variance.value())
        decay = 1.0 - self.momentum
        for average, value in ((self.moving_mean, batch_mean), (self.moving_variance, batch_variance)):
            add_to_collection(GraphKeys.UPDATE_OPS, assign_sub(average, (average.value() - value) * decay))
        return outputs


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(), gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, training=False, trainable=True, name=None, reuse=None,
                        **kwargs) -> Tensor:
    """``tf.layers.batch_normalization`` (variables ``batch_normalization/gamma``, ``beta``,
    ``moving_mean``, ``moving_variance``); run ``tf.GraphKeys.UPDATE_OPS`` with the training op."""
    return BatchNormalization(axis, momentum, epsilon, center, scale, beta_initializer, gamma_initializer,
                              moving_mean_initializer, moving_variance_initializer, beta_regularizer,
                              gamma_regularizer, trainable, name, _reuse=reuse, **kwargs)(inputs, training=training)

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
