"""TensorFlow 1.15's public API, and one clear error for the parts minitf leaves out.

``tf1_15.json`` lists every public symbol of TF 1.15's main modules (``tf``, ``tf.nn``,
``tf.train``, ``tf.layers`` ... one level deep, written by ``list_tf1_api.py`` from real
TensorFlow) and which of them name the same object (``tf.log`` is ``tf.math.log``).  Every
minitf module that stands for a TF1 module ends in one line::

    __getattr__ = tf1_api.fallback(__name__)

so that a name minitf does not define is looked up here, the same way for every module:

* a TF1 alias of something minitf has is that thing (``tf.linalg.matmul`` is ``tf.matmul``);
* a listed TF1 module minitf has no file for is a stand-in module (``tf.image``), whose
  names go through the same rules;
* any other TF 1.15 name raises :class:`NotInMinitfError` (an ``AttributeError``, so
  ``hasattr`` still answers False) naming the symbol and what to use instead;
* a name TF 1.15 does not have either raises Python's usual ``AttributeError``.
"""
from __future__ import annotations

import json
import sys
import threading
import types
from functools import lru_cache
from pathlib import Path

__all__ = ["NotInMinitfError", "fallback", "module", "resolve", "symbols"]


class NotInMinitfError(AttributeError):
    """A TensorFlow 1.15 symbol that minitf does not implement (``e.symbol`` names it)."""

    def __init__(self, symbol: str, kind: str):
        super().__init__(f"minitf does not implement {symbol} (a TensorFlow 1.15 {kind}); {hint(symbol)}.")
        self.symbol = symbol


@lru_cache(maxsize=None)
def _listing() -> dict:
    return json.loads((Path(__file__).with_name("tf1_15.json")).read_text(encoding="utf-8"))


def symbols() -> dict:
    """``{"tf.nn.relu": "function", ...}``: every listed TF 1.15 symbol and what it is."""
    return _listing()["symbols"]


@lru_cache(maxsize=None)
def _same_object() -> dict:
    """Each symbol -> the other names TF 1.15 gives the same function, class or module."""
    same: dict = {}
    for group in _listing()["same_object"]:
        for path in group:
            same[path] = [other for other in group if other != path]
    return same


def _tf_path(module_name: str) -> str:
    """``minitf.contrib.layers`` -> ``tf.contrib.layers``."""
    return "tf" + module_name[len("minitf"):]


def _minitf_name(tf_path: str) -> str:
    return "minitf" + tf_path[len("tf"):]


def resolve(path: str):
    """The minitf object for a TF1 name such as ``tf.nn.relu`` (AttributeError if there is none)."""
    obj = sys.modules["minitf"]
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


_state = threading.local()


def missing(tf_module: str, name: str):
    """What ``tf_module.name`` is when the module itself does not define it (see the module docstring)."""
    path = f"{tf_module}.{name}"
    resolving = _state.__dict__.setdefault("resolving", set())
    if path in resolving:          # an alias being tried for an alias: neither exists
        raise AttributeError(f"module {_minitf_name(tf_module)!r} has no attribute {name!r}")
    resolving.add(path)
    try:
        for other in _same_object().get(path, ()):
            try:
                return resolve(other)
            except AttributeError:
                continue
    finally:
        resolving.discard(path)
    kind = symbols().get(path)
    if kind is None:
        raise AttributeError(f"module {_minitf_name(tf_module)!r} has no attribute {name!r}")
    if kind == "module" and path in _listing()["modules"]:
        return module(path)
    raise NotInMinitfError(path, kind)


def fallback(module_name: str):
    """The ``__getattr__`` of the minitf module ``module_name``: names it lacks go to :func:`missing`."""
    tf_module = _tf_path(module_name)

    def __getattr__(name: str):
        return missing(tf_module, name)

    return __getattr__


_stand_ins: dict = {}
_stand_ins_lock = threading.Lock()


def module(path: str, **members) -> types.ModuleType:
    """A module object for the TF1 module ``path`` (``tf.math``): ``members``, then the same fallback.

    Used for TF1 modules that minitf has no file for; the same object is returned every time.
    """
    with _stand_ins_lock:
        stand_in = _stand_ins.get(path)
        if stand_in is None:
            stand_in = _stand_ins[path] = types.ModuleType(_minitf_name(path), f"TensorFlow 1.15's {path}.")
            stand_in.__getattr__ = lambda name: missing(path, name)
        vars(stand_in).update(members)
        return stand_in


# ---- what to use instead --------------------------------------------------------------------
_GENERAL = ("build it from the ops minitf has (dir(tf) lists them), or compute it with numpy inside the graph "
            "through tf.py_func")
_NO_EAGER = ("minitf runs TF1 graphs: build the graph, then run it in a tf.Session (TF2 code goes to minitf.v2, "
             "TF2's face of the same ops)")
_RNN = ("use tf.nn.dynamic_rnn or tf.nn.static_rnn with the cells in tf.nn.rnn_cell (BasicRNNCell, GRUCell, "
        "BasicLSTMCell, LSTMCell, MultiRNNCell, DropoutWrapper); for both directions run one cell over the inputs "
        "and another over tf.reverse(inputs, [1])")

# What to say for a missing symbol: the entry for the symbol itself, else for its longest module prefix.
HINTS = {
    "tf": _GENERAL,
    "tf.contrib": ("tf.contrib left TensorFlow with TF 2 and minitf keeps only tf.contrib.layers, tf.contrib.rnn and "
                   "tf.contrib.seq2seq.sequence_loss: use the tf.layers, tf.nn or tf.train function that replaced it"),
    "tf.contrib.layers": ("use tf.layers or tf.nn; minitf keeps tf.contrib.layers' initializers, regularizers, "
                          "fully_connected, conv2d, max_pool2d, avg_pool2d, dropout, flatten and batch_norm"),
    "tf.keras": ("in a TF1 graph minitf's tf.keras has datasets.mnist.load_data and utils.to_categorical: build the "
                 "model with tf.layers (dense, conv2d, max_pooling2d, dropout, batch_normalization) and train it with "
                 "a tf.train optimizer in a tf.Session (Keras models run on minitf.v2)"),
    "tf.estimator": "write the training loop yourself: run a tf.train optimizer's minimize() op in a tf.Session",
    "tf.data": ("minitf's tf.data has Dataset (from_tensor_slices, from_tensors, range; map, filter, batch, "
                "shuffle, repeat, take, skip) and its iterators: read files in Python and start from arrays"),
    "tf.image": ("use the tf.image functions minitf has (flips, random flips and crops, resize_images with BILINEAR or "
                 "NEAREST_NEIGHBOR, per_image_standardization, convert_image_dtype, rgb_to_grayscale), or prepare "
                 "images with numpy before feeding them"),
    "tf.strings": "process strings in Python before feeding them",
    "tf.linalg": "compute it with numpy (np.linalg) inside the graph through tf.py_func",
    "tf.nn": "use the tf.nn functions minitf has (dir(tf.nn)) or build it from tf.* ops",
    "tf.layers": ("use the tf.layers minitf has: dense, conv2d, conv2d_transpose, max_pooling2d, average_pooling2d, "
                  "dropout, batch_normalization and flatten"),
    "tf.losses": "use the tf.losses minitf has (dir(tf.losses)) or build the loss from tf.* ops",
    "tf.train": ("use the optimizers, Saver, learning-rate schedules and queue input pipelines (string_input_producer, "
                 "batch, shuffle_batch) minitf has (dir(tf.train))"),
    "tf.summary": "use tf.summary.scalar, histogram, image, text, merge_all and FileWriter",
    "tf.initializers": "use the tf.*_initializer functions minitf has (dir(tf.initializers))",
    "tf.random": "use tf.random_normal, tf.random_uniform, tf.truncated_normal or tf.random_shuffle",
    "tf.math": "use the math functions minitf has (dir(tf.math)) or build it from them",
    "tf.flags": "use tf.flags.DEFINE_string, DEFINE_integer, DEFINE_float, DEFINE_boolean and FLAGS",
    "tf.app": "use tf.app.run and tf.app.flags",
    "tf.logging": "use tf.logging.set_verbosity, debug, info, warning, error and the levels DEBUG ... FATAL",
    "tf.errors": "catch tf.errors.OpError, the base class of every tf.errors exception",
    "tf.dtypes": "use tf.as_dtype, tf.cast and the dtypes themselves (tf.float32 ...)",
    "tf.compat": "use tf.compat.v1, which is minitf itself",
    "tf.function": _NO_EAGER,
    "tf.GradientTape": "use tf.gradients(loss, variables), which adds the gradients to the graph",
    "tf.py_function": "use tf.py_func(func, inputs, Tout)",
    "tf.numpy_function": "use tf.py_func(func, inputs, Tout)",
    "tf.nn.bidirectional_dynamic_rnn": _RNN,
    "tf.nn.static_bidirectional_rnn": _RNN,
    "tf.nn.raw_rnn": _RNN,
    "tf.nn.static_state_saving_rnn": _RNN,
    "tf.nn.conv1d": "use tf.nn.conv2d on tf.expand_dims(x, 1) with a filter of height 1",
    "tf.layers.conv1d": "use tf.layers.conv2d on tf.expand_dims(x, 1) with kernel_size (1, k)",
}


def hint(symbol: str) -> str:
    """What to use instead of the TF1 ``symbol`` that minitf lacks."""
    path = symbol
    while path not in HINTS:
        path = path.rpartition(".")[0]
    return HINTS[path]
