"""``tf.keras.Model`` and ``Sequential``: layers, plus ``compile``/``fit``/``evaluate``/``predict``.

``fit`` trains like the TF1 loop of notebook 07, with the loop written for you::

    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=5)       # batches of 32, shuffled every epoch

Each training step -- the forward pass, the loss, its gradients, the optimizer's update --
is one ``tf.function``: traced once into a graph (what a TF1 program builds by hand:
placeholders for the batch, ``tf.gradients``, ``Apply*`` ops), then run once per batch.
``model.train_function.get_concrete_function(...).graph`` shows it.

A model is built the first time it sees an input shape (``Sequential([...])`` without an
input shape: in ``fit``), by calling its layers on a placeholder with an open batch size;
that is when ``summary()`` and ``count_params()`` become available.
"""
from __future__ import annotations

import os

import itertools

import numpy as np

from ...ops.array_ops import placeholder
from ...ops.math_ops import add_n
from ...tensor_shape import TensorShape
from ...train import checkpoint_format
from ... import nest
from ..data import INFINITE, Dataset
from ..eager import EagerTensor
from ..function import FuncGraph, function
from ..tape import GradientTape
from . import callbacks as callbacks_module
from . import losses, metrics as metrics_module, optimizers
from .layers import InputLayer, KerasTensor, Layer, accepts_training


class Model(Layer):
    """A layer made of layers, that can be trained.

    Three ways to make one: ``Sequential([...])``; the functional ``Model(inputs, outputs)``
    from ``tf.keras.Input``; or a subclass that makes layers in ``__init__`` and uses them in
    ``call(inputs, training=None)``.
    """

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.optimizer = self.loss = None
        self.compiled_metrics: list = []
        self.stop_training = False
        self.history = None
        self.train_function = self.test_function = self.predict_function = None
        self._step_graphs: dict = {}    # (step function, batch dtypes and shapes) -> its ConcreteFunction
        self._graph_nodes = None
        if inputs is not None or outputs is not None:
            self._init_functional(inputs, outputs)

    @property
    def _base_name(self) -> str:
        return "model" if type(self) is Model else Layer._base_name.fget(self)

    @property
    def layers(self) -> list:
        return [layer for layer in getattr(self, "_sublayers", []) if not isinstance(layer, InputLayer)]

    def get_layer(self, name=None, index=None) -> Layer:
        """The layer called ``name`` (or at position ``index``)."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}.")

    # ---- the functional API ------------------------------------------------------------------
    def _init_functional(self, inputs, outputs) -> None:
        """Remember the layer calls between ``inputs`` and ``outputs`` (KerasTensors), in order."""
        self._inputs, self._outputs = inputs, outputs
        order, seen = [], set()

        def visit(kt):
            if id(kt) in seen or kt.inputs is None:
                return
            seen.add(id(kt))
            for parent in nest.flatten(kt.inputs):
                visit(parent)
            order.append(kt)

        for kt in nest.flatten(outputs):
            visit(kt)
        self._graph_nodes = order
        self._sublayers = [kt.layer for kt in nest.flatten(inputs)]
        for kt in order:
            if kt.layer not in self._sublayers:
                self._sublayers.append(kt.layer)
            kt.layer.static_output_shape = kt.shape
        self.batch_input_shape = tuple(nest.flatten(inputs)[0].shape.as_list())
        self.built = True

    def call(self, inputs, training=None):
        if self._graph_nodes is None:
            raise NotImplementedError(f"Model {self.name} has no call(): subclass Model and define it, or make a "
                                      "functional model with Model(inputs, outputs).")
        values = {id(kt): v for kt, v in zip(nest.flatten(self._inputs), nest.flatten(inputs))}
        for kt in self._graph_nodes:
            args = nest.map_structure(lambda parent: values[id(parent)], kt.inputs)
            kwargs = dict(kt.kwargs)
            if accepts_training(kt.layer):
                kwargs["training"] = training
            values[id(kt)] = kt.layer(args, **kwargs)
        return nest.map_structure(lambda kt: values[id(kt)], self._outputs)

    # ---- compile --------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, run_eagerly=None,
                steps_per_execution=None, **kwargs):
        """Choose the optimizer, the loss and the metrics ``fit`` and ``evaluate`` use."""
        self.optimizer = optimizers.get(optimizer)
        self.loss = None if loss is None else losses.get(loss)
        self.compiled_metrics = [metrics_module.get(m, self.loss) for m in (metrics or [])]
        self.train_function = function(self._train_step, name="train_function")
        self.test_function = function(self._test_step, name="test_function")

    @property
    def metrics_names(self) -> list:
        return ["loss"] + [m.name for m in self.compiled_metrics]

    def _loss_and_metrics(self, x, y, training: bool):
        y_pred = self(x, training=training)
        loss = self.loss(y, y_pred)
        penalties = self.losses
        total = add_n([loss] + penalties) if penalties else loss
        return total, [m.batch_mean(y, y_pred) for m in self.compiled_metrics]

    def _train_step(self, x, y):
        """One step of training; traced into a graph once per batch shape."""
        with GradientTape() as tape:
            loss, values = self._loss_and_metrics(x, y, training=True)
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return [loss] + values

    def _test_step(self, x, y):
        loss, values = self._loss_and_metrics(x, y, training=False)
        return [loss] + values

    def _predict_step(self, x):
        return self(x, training=False)

    def _run_step(self, function, *arrays):
        """Call a step function on numpy batches, finding its traced graph by the batches' dtypes and
        shapes directly: a batch loop calls it thousands of times."""
        key = (function,) + tuple((a.dtype.str, a.shape) for a in arrays)
        concrete = self._step_graphs.get(key)
        if concrete is None:
            concrete = self._step_graphs[key] = function.get_concrete_function(*arrays)
        return concrete(*arrays)

    def _check_compiled(self, what: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(f"You must compile your model before {what}. Use `model.compile(optimizer, loss)`.")

    # ---- fit / evaluate / predict -------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_batch_size=None, **kwargs):
        """Train for ``epochs`` passes over ``(x, y)`` in shuffled batches of ``batch_size`` (32).

        Returns a ``History``: ``history.history['loss']`` has each epoch's mean training loss,
        and ``val_loss`` etc. with ``validation_data`` or ``validation_split`` (the last part of
        ``x``, not shuffled in).
        """
        self._check_compiled("training")
        if class_weight is not None or sample_weight is not None:
            raise NotImplementedError("minitf's fit does not support class_weight or sample_weight")
        batch_size = batch_size or 32
        if isinstance(x, Dataset):
            if validation_split:
                raise ValueError("`validation_split` is only supported for Tensors or NumPy arrays, not a dataset")
            epoch_batches, steps = self._dataset_batches(x, y, steps_per_epoch)
        else:
            x, y = self._as_batchable(x), _as_array(y)
            if len(x) != len(y):
                raise ValueError(f"Data cardinality is ambiguous: x sizes: {len(x)}, y sizes: {len(y)}. "
                                 "Make sure all arrays contain the same number of samples.")
            if validation_data is None and validation_split:
                cut = int(len(x) * (1.0 - validation_split))
                (x, validation_x), (y, validation_y) = (x[:cut], x[cut:]), (y[:cut], y[cut:])
                validation_data = (validation_x, validation_y)
            steps = max(1, -(-len(x) // batch_size)) if steps_per_epoch is None else steps_per_epoch

            def epoch_batches():
                order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
                for step in range(steps):
                    batch = order[(step * batch_size) % len(x):][:batch_size]
                    yield x[batch], y[batch]
        if isinstance(validation_data, Dataset):
            validation_data = (validation_data, None)
        verbose = 1 if verbose == "auto" else verbose
        history = callbacks_module.History()
        callback_list = callbacks_module.CallbackList(
            [history] + ([callbacks_module.ProgbarLogger(verbose)] if verbose else []) + list(callbacks or []),
            self, {"verbose": verbose, "epochs": epochs, "steps": steps})
        self.stop_training = False
        callback_list.on_train_begin()
        logs: dict = {}
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch)
            means = _RunningMeans(self.metrics_names)
            for step, (xb, yb) in enumerate(epoch_batches()):
                callback_list.on_train_batch_begin(step)
                logs = means.add(self._run_step(self.train_function, xb, yb), len(xb))
                callback_list.on_train_batch_end(step, logs)
            if validation_data is not None:
                validation = self._evaluate(*validation_data[:2], validation_batch_size or batch_size, None)
                logs = dict(logs, **{"val_" + name: value for name, value in validation.items()})
            callback_list.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        callback_list.on_train_end(logs)
        return history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics on ``(x, y)``: ``[loss, accuracy]`` (just the loss without metrics)."""
        self._check_compiled("evaluating")
        verbose = 1 if verbose == "auto" else verbose
        if isinstance(x, Dataset):
            steps = self._dataset_batches(x, y, None)[1]
        else:
            x, y = self._as_batchable(x), _as_array(y)
            steps = max(1, -(-len(x) // (batch_size or 32)))
        callback_list = callbacks_module.CallbackList(
            ([callbacks_module.ProgbarLogger(verbose)] if verbose else []) + list(callbacks or []), self,
            {"verbose": verbose, "epochs": 0, "steps": steps})
        logs = self._evaluate(x, y, batch_size or 32, callback_list)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def _evaluate(self, x, y, batch_size: int, callback_list) -> dict:
        if isinstance(x, Dataset):
            batches = self._dataset_batches(x, y, None)[0]()
        else:
            x, y = self._as_batchable(x), _as_array(y)
            batches = ((x[start:start + batch_size], y[start:start + batch_size])
                       for start in range(0, len(x), batch_size))
        means = _RunningMeans(self.metrics_names)
        logs: dict = {}
        if callback_list is not None:
            callback_list.on_test_begin()
        for step, (xb, yb) in enumerate(batches):
            logs = means.add(self._run_step(self.test_function, xb, yb), len(xb))
            if callback_list is not None:
                callback_list.on_test_batch_end(step, logs)
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    def predict(self, x, batch_size=None, verbose="auto", callbacks=None, **kwargs) -> np.ndarray:
        """The model's outputs for ``x``, as numpy arrays, computed in batches of ``batch_size`` (32)
        (``x`` may be a dataset of batches, of ``x`` or ``(x, y)``)."""
        if isinstance(x, Dataset):
            x = np.concatenate([e[0] if isinstance(e, tuple) else e for e in x.as_numpy_iterator()])
        x = self._as_batchable(x)
        batch_size = batch_size or 32
        verbose = 1 if verbose == "auto" else verbose
        if self.predict_function is None:
            self.predict_function = function(self._predict_step, name="predict_function")
        callback_list = callbacks_module.CallbackList(
            ([callbacks_module.ProgbarLogger(verbose)] if verbose else []) + list(callbacks or []), self,
            {"verbose": verbose, "epochs": 0, "steps": max(1, -(-len(x) // batch_size))})
        callback_list.on_predict_begin()
        outputs = []
        for step, start in enumerate(range(0, len(x), batch_size)):
            batch_outputs = self._run_step(self.predict_function, x[start:start + batch_size])
            outputs.append(nest.map_structure(np.asarray, batch_outputs))
            callback_list.on_predict_batch_end(step)
        callback_list.on_predict_end()
        columns = zip(*[nest.flatten(batch) for batch in outputs])
        return nest.pack_sequence_as(outputs[0], [np.concatenate(parts) for parts in columns])

    def train_on_batch(self, x, y, return_dict=False):
        """One training step on this batch; the batch's loss and metrics."""
        self._check_compiled("training")
        values = [float(v) for v in self.train_function(self._as_batchable(x), _as_array(y))]
        return dict(zip(self.metrics_names, values)) if return_dict else (values[0] if len(values) == 1 else values)

    def _dataset_batches(self, dataset: Dataset, y, steps):
        """(a function giving one pass's ``(x, y)`` numpy batches, the number of steps) of a dataset of
        ``(x, y)`` batches; ``steps`` (``steps_per_epoch``) cuts a pass short or ends an endless one."""
        if y is not None:
            raise ValueError("`y` argument is not supported when using dataset as input.")
        if steps is None:
            if int(dataset.cardinality()) == INFINITE:
                raise ValueError("When passing an infinitely repeating dataset, please specify a `steps_per_epoch` "
                                 "value so that epoch level callbacks continue to work.")
            steps = len(dataset)

        def batches():
            for element in itertools.islice(dataset.as_numpy_iterator(), steps):
                if not isinstance(element, tuple) or len(element) < 2:
                    raise ValueError("A dataset given to fit or evaluate must give (x, y) batches, got "
                                     f"{type(element).__name__}")
                yield self._as_batchable(element[0]), _as_array(element[1])

        return batches, steps

    def _as_batchable(self, x) -> np.ndarray:
        """``x`` as a numpy array, floats in the model's dtype (float32), once for all batches."""
        x = _as_array(x)
        if x.dtype.kind == "f" and x.dtype != self.dtype.as_numpy_dtype:
            x = x.astype(self.dtype.as_numpy_dtype)
        return x

    # ---- looking at it ------------------------------------------------------------------------
    def summary(self, line_length=65, positions=None, print_fn=None) -> None:
        """Print each layer's name, type, output shape and number of weights, and the totals."""
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling `build()` or "
                             "calling `fit()` with some data, or specify an `input_shape` argument in the first "
                             "layer(s) for automatic build.")
        print_fn = print_fn or print
        stops = [int(line_length * p) for p in (positions or (0.45, 0.85, 1.0))]

        def row(fields):
            line = ""
            for field, stop in zip(fields, stops):
                line = (line + str(field))[:stop].ljust(stop)
            print_fn(line)

        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        row(["Layer (type)", "Output Shape", "Param #"])
        print_fn("=" * line_length)
        for i, layer in enumerate(self.layers):
            shape = _shape_text(layer.static_output_shape) if not self._is_subclassed() else "multiple"
            row([f"{layer.name} ({type(layer).__name__})", shape, layer.count_params() if layer.built else 0])
            print_fn(("=" if i == len(self.layers) - 1 else "_") * line_length)
        trainable = sum(int(np.prod(w.shape.as_list())) for w in self.trainable_weights)
        total = self.count_params()
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {total - trainable:,}")
        print_fn("_" * line_length)

    def _is_subclassed(self) -> bool:
        return type(self).call is not Model.call and not isinstance(self, Sequential)

    # ---- weights in files -------------------------------------------------------------------
    def save_weights(self, filepath, overwrite=True, save_format=None) -> None:
        """Save the weights as a checkpoint at prefix ``filepath`` (TF2's object-based names:
        ``layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE``), like ``tf.train.Saver``'s files."""
        filepath = os.fspath(filepath)
        if str(filepath).endswith(".h5"):
            raise NotImplementedError("minitf saves weights as TensorFlow checkpoints, not HDF5 (.h5)")
        checkpoint_format.write_checkpoint(filepath, {key: v.numpy() for key, v in self.checkpoint_keys().items()})
        checkpoint_format.update_checkpoint_state(os.path.dirname(filepath), filepath)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False) -> None:
        """Give the weights the values saved by ``save_weights`` (the model must have the same layers)."""
        saved = checkpoint_format.read_checkpoint(os.fspath(filepath))
        keys = self.checkpoint_keys()
        missing = [key for key in keys if key not in saved]
        if missing:
            raise ValueError(f"The checkpoint {filepath} does not match this model: it lacks {missing[:3]}")
        for key, variable in keys.items():
            if tuple(saved[key].shape) != tuple(variable.shape.as_list()):
                raise ValueError(f"Shape mismatch for {variable.name}: the checkpoint has {saved[key].shape}, "
                                 f"the model {tuple(variable.shape.as_list())}")
        for key, variable in keys.items():
            variable.assign(saved[key])

    def checkpoint_keys(self) -> dict:
        """Checkpoint name -> weight, by position of the layers that have weights (as TF2 saves them)."""
        if not self.built:
            raise ValueError("Unable to save or load the weights of a model that is not built yet: call it on data "
                             "(or fit it) first.")
        keys = {}
        for i, layer in enumerate(layer for layer in self.layers if layer.weights):
            for weight in layer.weights:
                attribute = weight.name.split(":")[0].split("/")[-1]
                keys[f"layer_with_weights-{i}/{attribute}/.ATTRIBUTES/VARIABLE_VALUE"] = weight
        return keys


class Sequential(Model):
    """A stack of layers, each feeding the next: ``Sequential([Flatten(), Dense(10)])``."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._sublayers = []
        for layer in layers or []:
            self.add(layer)

    def add(self, layer) -> None:
        """Put ``layer`` on top of the stack (a ``tf.keras.Input`` first fixes the input shape)."""
        if isinstance(layer, KerasTensor):
            layer = layer.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. Received: layer={layer} of type "
                            f"{type(layer)}.")
        if isinstance(layer, InputLayer):
            self.batch_input_shape = layer.batch_input_shape
        else:
            if not self.layers and layer.batch_input_shape is not None:
                self.batch_input_shape = layer.batch_input_shape
            self._sublayers.append(layer)
            self.built = False
        if self.batch_input_shape is not None and self.layers:
            self.build(self.batch_input_shape)

    def build(self, input_shape=None) -> None:
        """Make the layers' weights by calling them on a placeholder of ``input_shape`` (batch left open)."""
        shape = TensorShape(input_shape or self.batch_input_shape)
        if shape.dims is None:
            raise ValueError("You must provide an `input_shape` argument.")
        graph = FuncGraph(f"{self.name}_build")
        with graph.as_default():
            x = placeholder(self.dtype, [None] + shape.as_list()[1:])
            for layer in self.layers:
                x = layer(x)
                layer.static_output_shape = x.shape
        self.batch_input_shape = (None,) + tuple(shape.as_list()[1:])
        self.built = True

    def call(self, inputs, training=None):
        x = inputs
        for layer in self.layers:
            x = layer(x, training=training) if accepts_training(layer) else layer(x)
        return x


class _RunningMeans:
    """The mean of each value over the examples seen so far (what Keras shows and logs)."""

    def __init__(self, names):
        self.names = names
        self.totals = np.zeros(len(names))
        self.count = 0

    def add(self, values, n: int) -> dict:
        self.totals += np.array([float(v) for v in values]) * n
        self.count += n
        return dict(zip(self.names, (self.totals / self.count).tolist()))


def _as_array(value) -> np.ndarray:
    if isinstance(value, EagerTensor):
        return value.numpy()
    return np.asarray(value)


def _shape_text(shape) -> str:
    if shape is None:
        return "?"
    return str(tuple(shape.as_list()))

