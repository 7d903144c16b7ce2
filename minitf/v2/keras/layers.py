"""``tf.keras.layers``: TF1's ``tf.layers`` with Keras's names, defaults and object-held weights.

In TF1, ``tf.layers.Dense`` *was* a Keras layer.  Here the Keras layers reuse the TF1 layer
classes of ``minitf/layers.py`` (their arguments, ``build`` and ``call``: the same ops) and
change what TF2 changed:

* the weights are ``tf.Variable``s held by the layer (``layer.kernel``), named after it
  (``dense/kernel:0``), made the first time the layer sees an input shape -- no variable
  scope, no collection, no initializer op;
* a layer is named once, when it is made (``dense``, ``dense_1``...);
* arguments may be names: ``Dense(512, activation='relu', kernel_initializer='he_normal')``;
* floating inputs are cast to the layer's dtype (``x / 255.0`` is float64 in numpy).

Called on an ``Input`` (a symbolic ``KerasTensor``), a layer records the call, for
functional models ``tf.keras.Model(inputs, outputs)``.
"""
from __future__ import annotations

import inspect

import numpy as np

from ... import layers as tf1_layers
from ... import nest
from ...dtypes import as_dtype
from ...graph import name_scope
from ...ops import array_ops
from ...ops.array_ops import placeholder
from ...ops.base import convert_to_tensor
from ...ops.math_ops import cast
from ...tensor_shape import TensorShape
from ..eager import eager_mode
from ..function import FuncGraph
from ..variables import Variable
from . import activations, backend, initializers, regularizers


class Layer(tf1_layers.Layer):
    """Base class: ``build(input_shape)`` makes the weights (once), ``call(inputs)`` computes.

    Subclass it for your own layer; layers assigned to attributes are tracked, so their
    weights are this layer's weights too.
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        tf1_layers.Layer.__init__(self, trainable=trainable)
        self._keras_init(name=name, dtype=dtype, **kwargs)

    def _keras_init(self, name=None, dtype=None, input_shape=None, batch_input_shape=None, input_dim=None,
                    batch_size=None, trainable=None, **unknown):
        """What every Keras layer sets up, after the TF1 layer's own ``__init__`` ran."""
        if unknown:
            raise TypeError(f"Keyword argument not understood: {', '.join(map(repr, unknown))}")
        if trainable is not None:
            self.trainable = trainable
        self.dtype = as_dtype(dtype or backend.floatx())
        self._name = name or backend.unique_name(self._base_name)
        self._regularized: list = []     # (variable, regularizer)
        self.static_output_shape = None  # TensorShape of the outputs, batch left open (when a model is built)
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self.batch_input_shape = None if batch_input_shape is None else tuple(batch_input_shape)

    name = property(lambda self: self._name)

    def __setattr__(self, attr, value):
        """Track layers assigned to attributes (``self.dense = Dense(10)``) as sublayers."""
        layers = [v for v in (value if isinstance(value, (list, tuple)) else [value]) if isinstance(v, Layer)]
        if layers and "_sublayers" not in self.__dict__:
            object.__setattr__(self, "_sublayers", [])
        for layer in layers:
            if layer is not self and layer not in self._sublayers:
                self._sublayers.append(layer)
        object.__setattr__(self, attr, value)

    # ---- calling -------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        """Compute the outputs (building the weights on the first call)."""
        if any(isinstance(x, KerasTensor) for x in nest.flatten(inputs)):
            return _symbolic_call(self, inputs, args, kwargs)
        inputs = nest.map_structure(self._cast_input, inputs)
        if not self.built:
            first = nest.flatten(inputs)[0]
            with eager_mode():
                self.build(first.shape if len(nest.flatten(inputs)) == 1 else
                           nest.map_structure(lambda t: t.shape, inputs))
            self.built = True
        if "training" in kwargs and not accepts_training(self):
            kwargs.pop("training")
        with name_scope(self.name):
            return self.call(inputs, *args, **kwargs)

    def _cast_input(self, value):
        tensor = convert_to_tensor(value)
        if tensor.dtype.is_floating and self.dtype.is_floating and tensor.dtype.base_dtype != self.dtype:
            return cast(tensor, self.dtype)
        return tensor

    # ---- weights -------------------------------------------------------------------------------
    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                   constraint=None, **kwargs):
        """A new ``tf.Variable`` named ``<layer>/<name>``, filled by ``initializer`` (default Glorot uniform)."""
        init = initializers.get(initializer)
        dtype = as_dtype(dtype or self.dtype).base_dtype
        dims = [int(d.value if hasattr(d, "value") else d) for d in (shape or [])]
        variable = Variable(lambda: init(dims, dtype=dtype), name=f"{self.name}/{name}", dtype=dtype,
                            trainable=trainable is not False)
        self._variables.append(variable)
        if regularizer is not None:
            self._regularized.append((variable, regularizers.get(regularizer)))
        return variable

    def _all_layers(self) -> list:
        """This layer and every layer inside it, each once."""
        found, stack = [], [self]
        while stack:
            layer = stack.pop(0)
            if layer not in found:
                found.append(layer)
                stack.extend(getattr(layer, "_sublayers", []))
        return found

    @property
    def weights(self) -> list:
        return [w for layer in self._all_layers() for w in layer._variables]

    @property
    def trainable_weights(self) -> list:
        return [w for layer in self._all_layers() if layer.trainable for w in layer._variables if w.trainable]

    @property
    def non_trainable_weights(self) -> list:
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def losses(self) -> list:
        """The regularization penalties of the weights (computed now: inside a traced step, as ops)."""
        return [reg(v.value()) for layer in self._all_layers() for v, reg in layer._regularized]

    def count_params(self) -> int:
        """The number of values in the weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self.name}, but the layer isn't built. "
                             f"You can build it manually via: `{self.name}.build(batch_input_shape)`.")
        return int(sum(np.prod(w.shape.as_list(), dtype=np.int64) for w in self.weights))

    def get_weights(self) -> list:
        """The weights' values as numpy arrays."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights) -> None:
        """Give the weights these values (numpy arrays, in the order of ``get_weights``)."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on layer \"{self.name}\" with a weight list of "
                             f"length {len(weights)}, but the layer was expecting {len(own)} weights.")
        for variable, value in zip(own, weights):
            variable.assign(np.asarray(value))

    @property
    def output_shape(self):
        if self.static_output_shape is None:
            raise AttributeError(f"The layer {self.name} has never been called and thus has no defined output shape.")
        return tuple(self.static_output_shape.as_list())

    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype.name}

    def __repr__(self):
        return f"<{type(self).__module__.replace('minitf.v2.', 'tf.')}.{type(self).__name__} name={self.name}>"


def accepts_training(layer) -> bool:
    parameters = inspect.signature(layer.call).parameters
    return "training" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


# ---- the layers --------------------------------------------------------------------------------------
class Dense(Layer, tf1_layers.Dense):
    """``activation(inputs @ kernel + bias)``: ``Dense(512, activation='relu')``."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        tf1_layers.Dense.__init__(self, units, activations.get(activation), use_bias, kernel_initializer,
                                  bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
                                  kernel_constraint, bias_constraint)
        self._keras_init(**kwargs)


class Conv2D(Layer, tf1_layers.Conv2D):
    """A 2-D convolution: ``Conv2D(32, (3, 3), activation='relu')`` on NHWC images."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        tf1_layers.Conv2D.__init__(self, filters, kernel_size, strides, padding, data_format or "channels_last",
                                   dilation_rate, activations.get(activation), use_bias, kernel_initializer,
                                   bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
                                   kernel_constraint, bias_constraint)
        self._keras_init(**kwargs)


class MaxPooling2D(Layer, tf1_layers.MaxPooling2D):
    """The maximum of each ``pool_size`` window (``strides`` defaults to ``pool_size``)."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        tf1_layers.MaxPooling2D.__init__(self, pool_size, pool_size if strides is None else strides, padding,
                                         data_format or "channels_last")
        self._keras_init(**kwargs)


class AveragePooling2D(Layer, tf1_layers.AveragePooling2D):
    """The mean of each ``pool_size`` window (``strides`` defaults to ``pool_size``)."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        tf1_layers.AveragePooling2D.__init__(self, pool_size, pool_size if strides is None else strides, padding,
                                             data_format or "channels_last")
        self._keras_init(**kwargs)


class Dropout(Layer, tf1_layers.Dropout):
    """Zero a fraction ``rate`` of the inputs while training (``fit``), pass them through otherwise."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        tf1_layers.Dropout.__init__(self, rate, noise_shape, seed)
        self._keras_init(**kwargs)

    def call(self, inputs, training=None):
        return tf1_layers.Dropout.call(self, inputs, training=bool(training))


class BatchNormalization(Layer, tf1_layers.BatchNormalization):
    """Normalise each channel with the batch's mean and variance while training (updating the moving
    averages ``moving_mean`` and ``moving_variance`` at once), with the moving averages otherwise."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        tf1_layers.BatchNormalization.__init__(self, axis, momentum, epsilon, center, scale, beta_initializer,
                                               gamma_initializer, moving_mean_initializer,
                                               moving_variance_initializer, beta_regularizer, gamma_regularizer)
        self._keras_init(**kwargs)

    def call(self, inputs, training=None):
        return tf1_layers.BatchNormalization.call(self, inputs, training=bool(training))


class Flatten(Layer, tf1_layers.Flatten):
    """``[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]``."""

    def __init__(self, data_format=None, **kwargs):
        tf1_layers.Flatten.__init__(self)
        self._keras_init(**kwargs)


class Activation(Layer):
    """``Activation('relu')``: apply an activation function."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)


class Softmax(Layer):
    """``Softmax()``: probabilities from logits along ``axis`` (TF2's quickstart appends it to a model)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return activations.get("softmax")(inputs, axis=self.axis)


class ReLU(Layer):
    """``ReLU()``: ``max(x, 0)`` as a layer."""

    def call(self, inputs):
        return activations.get("relu")(inputs)


class Reshape(Layer):
    """``Reshape((28, 28, 1))``: give each example a new shape (the batch dimension is kept)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, inputs):
        return array_ops.reshape(inputs, [-1, *self.target_shape])


# ---- symbolic inputs: the functional API ---------------------------------------------------------
class KerasTensor:
    """What ``tf.keras.Input`` and layers called on it give: a shape and dtype, and the layer call
    that made it (functional models replay those calls)."""

    def __init__(self, shape, dtype, layer, inputs=None, kwargs=None):
        self.shape = TensorShape(shape)
        self.dtype = as_dtype(dtype).base_dtype
        self.layer, self.inputs, self.kwargs = layer, inputs, dict(kwargs or {})

    def __repr__(self):
        return (f"<KerasTensor: shape={tuple(self.shape.as_list())} dtype={self.dtype.name} "
                f"(created by layer '{self.layer.name}')>")


class InputLayer(Layer):
    """Where a functional model's input enters; ``tf.keras.Input`` makes one."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None, **kwargs):
        super().__init__(name=name or backend.unique_name("input"), dtype=dtype, input_shape=input_shape,
                         batch_size=batch_size, **kwargs)
        self.built = True
        self.output = KerasTensor(self.batch_input_shape, self.dtype, self)
        self.static_output_shape = self.output.shape

    def call(self, inputs):
        return inputs


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None, **kwargs) -> KerasTensor:  # noqa: N802
    """``tf.keras.Input(shape=(784,))``: a symbolic batch of inputs (the batch size is left open)."""
    if batch_shape is not None:
        shape, batch_size = batch_shape[1:], batch_shape[0]
    if shape is None:
        raise ValueError("Please provide to Input a `shape` or a `batch_shape` argument.")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return InputLayer(input_shape=shape, batch_size=batch_size, dtype=dtype, name=name, **kwargs).output


def _symbolic_call(layer: Layer, inputs, args, kwargs):
    """Call ``layer`` on placeholders shaped like the KerasTensors, to learn its output shape."""
    graph = FuncGraph(f"{layer.name}_shape")
    with graph.as_default():
        placeholders = nest.map_structure(lambda kt: placeholder(kt.dtype, kt.shape), inputs)
        outputs = layer(placeholders, *args, **kwargs)
    layer.static_output_shape = nest.flatten(outputs)[0].shape
    return nest.map_structure(lambda t: KerasTensor(t.shape, t.dtype, layer, inputs, kwargs), outputs)


MaxPool2D, AvgPool2D = MaxPooling2D, AveragePooling2D
