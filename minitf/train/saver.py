"""tf.train.Saver: save variables to checkpoints and restore them (notebook 07).

::

    saver = tf.train.Saver()                         # all global variables
    with tf.Session() as sess:
        sess.run(init)
        ...                                          # train
        saver.save(sess, './model/dnn.ckpt', global_step=global_step)   # './model/dnn.ckpt-100'

    with tf.Session() as sess:                       # later, maybe in another program
        saver.restore(sess, tf.train.latest_checkpoint('./model'))    # no initializer needed

A checkpoint stores each variable's value under its name (``layer1/W1``), so a graph built
again by the same code finds its values, whatever initializers it has.  It also stores the
graph itself (the ``.meta`` file, a ``MetaGraphDef``): ``tf.train.import_meta_graph`` rebuilds
it without the Python that built it.

TF1's Saver adds ``save/...`` ops to the graph and runs them; minitf's reads the variables
with ``sess.run`` and writes them straight into the session, which is the same work, visible
in Python.  The files and the safety rules (atomic writes, no pickle) are in
:mod:`minitf.train.checkpoint_format`.
"""
from __future__ import annotations

import os
import time
import warnings
from typing import Any, Iterable, Mapping

import numpy as np

from .. import dtypes, errors
from ..graph import Graph, GraphKeys, Operation, Tensor, get_default_graph
from .. import protos
from ..summary.graph_def import import_nodes
from ..variables import Variable, global_variables
from .checkpoint_format import (
    INDEX_SUFFIX, STATE_FILENAME, CheckpointReader, checkpoint_exists, open_checkpoint,
    remove_checkpoint, update_checkpoint_state, write_checkpoint,
)

# Collections of variables: a .meta file stores them as VariableDef protos, as TF1 does.
_VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                         GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES, GraphKeys.GLOBAL_STEP)
_CHECKPOINT_V2 = 2  # SaverDef.V2, the format version TF1 writes

# TF's names for dtypes in error messages (DataTypeString): float32 is "float".
_TYPE_STRINGS = {"float32": "float", "float64": "double", "float16": "half"}


class Saver:
    """``tf.train.Saver``: saves and restores variables by name.

    ``var_list`` is a list of variables (saved under ``var.op.name``) or a dict
    ``{name in the checkpoint: variable}``; by default all global variables existing when the
    Saver is made.  The last ``max_to_keep`` checkpoints are kept (``None`` or 0: all), and in
    addition one every ``keep_checkpoint_every_n_hours``.

    ``reshape``, ``sharded``, ``name`` and ``write_version`` are accepted for TF1 code and have
    no effect: minitf always writes one data file, in TF1's (V2) format, which real TensorFlow
    restores.  It restores checkpoints TensorFlow wrote, sharded ones included, and those that
    earlier versions of minitf wrote.
    """

    def __init__(self, var_list: Iterable[Variable] | Mapping[str, Variable] | None = None,
                 reshape: bool = False, sharded: bool = False, max_to_keep: int | None = 5,
                 keep_checkpoint_every_n_hours: float = 10000.0, name: str | None = None,
                 allow_empty: bool = False, write_version: int = _CHECKPOINT_V2,
                 pad_step_number: bool = False) -> None:
        self._variables = _variables_by_name(global_variables() if var_list is None else var_list)
        if not self._variables and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._keep_every_seconds = keep_checkpoint_every_n_hours * 3600
        self._next_kept_time = time.time() + self._keep_every_seconds
        self._pad_step_number = pad_step_number
        self._last_checkpoints: list[tuple[str, float]] = []   # (prefix, time saved), oldest first

    @property
    def last_checkpoints(self) -> list[str]:
        """The prefixes of the checkpoints still kept, oldest first."""
        return [prefix for prefix, _ in self._last_checkpoints]

    def recover_last_checkpoints(self, checkpoint_paths: Iterable[str]) -> None:
        """Take over ``checkpoint_paths`` (e.g. a previous run's) as the kept checkpoints, so
        ``max_to_keep`` deletes them in turn.  Those whose files are gone are skipped."""
        self._last_checkpoints = [(prefix, os.path.getmtime(prefix + INDEX_SUFFIX))
                                  for prefix in checkpoint_paths if checkpoint_exists(prefix)]

    # ---- saving -----------------------------------------------------------------------------
    def save(self, sess: Any, save_path: str | os.PathLike, global_step: Any = None,
             latest_filename: str | None = None, write_meta_graph: bool = True,
             write_state: bool = True) -> str | None:
        """Save the variables' values in ``sess`` under ``save_path`` (``-<step>`` appended when
        ``global_step`` is given: an int, or a variable/tensor that is read in ``sess``).

        Returns the checkpoint's prefix, e.g. ``'./model/dnn.ckpt-2'`` (None for an empty
        Saver).  Missing directories are created; the ``checkpoint`` file beside it is
        updated, and checkpoints beyond ``max_to_keep`` are deleted.
        """
        latest_filename = latest_filename or STATE_FILENAME
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is None:
            if os.path.basename(save_path) == latest_filename:
                raise ValueError(f"'latest_filename' collides with 'save_path': "
                                 f"'{latest_filename}' and '{save_path}'")
            prefix = save_path
        else:
            step = global_step if isinstance(global_step, (int, np.integer)) else sess.run(global_step)
            prefix = f"{save_path}-{int(step):08d}" if self._pad_step_number else f"{save_path}-{int(step)}"
        if not self._variables:
            return None
        values = sess.run(list(self._variables.values()))
        meta_graph = self._meta_graph_bytes(sess.graph) if write_meta_graph else None
        write_checkpoint(prefix, dict(zip(self._variables, values)), meta_graph)
        if write_state:
            kept, beyond = self._kept_with(prefix)
            update_checkpoint_state(os.path.dirname(save_path), prefix, [p for p, _ in kept],
                                    latest_filename)
            self._last_checkpoints = kept
            self._delete(beyond)
        return prefix

    def _meta_graph_bytes(self, graph: Graph) -> bytes | None:
        """The ``.meta`` file's content; without TensorBoard's protos there is none (warning)."""
        try:
            return self.export_meta_graph(graph=graph).SerializeToString()
        except ImportError as error:
            warnings.warn(f"checkpoint saved without its .meta graph file: {error}", stacklevel=3)
            return None

    def _kept_with(self, prefix: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The checkpoints kept once ``prefix`` is saved (it last: a prefix saved again moves to
        the end), and the oldest ones beyond ``max_to_keep`` (TF1's ``_RecordLastCheckpoint``)."""
        if not self._max_to_keep:
            return [], []
        kept = [(p, t) for p, t in self._last_checkpoints if p != prefix] + [(prefix, time.time())]
        return kept[-self._max_to_keep:], kept[:-self._max_to_keep]

    def _delete(self, checkpoints: list[tuple[str, float]]) -> None:
        """Delete these checkpoints' files, but spare one every ``keep_checkpoint_every_n_hours``."""
        for prefix, saved_at in checkpoints:
            if saved_at > self._next_kept_time:
                self._next_kept_time += self._keep_every_seconds
            else:
                remove_checkpoint(prefix)

    def export_meta_graph(self, filename: str | None = None,
                          collection_list: Iterable[str] | None = None,
                          graph: Graph | None = None) -> Any:
        """The ``MetaGraphDef`` of the (default) graph; written to ``filename`` if given.

        It has no ``SaverDef``: TF1's names the tensors of the save ops a TF1 Saver adds to the
        graph, which minitf's Saver does not add.  Without one, ``import_meta_graph`` -- real
        TensorFlow's and minitf's -- makes a new Saver for the graph's variables, which restores
        the checkpoint by their names.
        """
        return export_meta_graph(filename, graph=graph, collection_list=collection_list)

    # ---- restoring --------------------------------------------------------------------------
    def restore(self, sess: Any, save_path: str | os.PathLike | None) -> None:
        """Give the variables in ``sess`` the values saved under ``save_path``, by name.

        The variables need no initializer first.  A name missing from the checkpoint is a
        ``NotFoundError``; another dtype or shape an ``InvalidArgumentError``; a damaged
        checkpoint a ``DataLossError``.  Only this Saver's variables are read from the data
        file, and all of them before any variable is changed: on an error none is.
        """
        if not self._variables:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        reader = open_checkpoint(save_path)
        _check_against_checkpoint(self._variables, reader)
        values = {name: reader.read(name) for name in self._variables}
        for name, variable in self._variables.items():
            variable.load(values[name], sess)


def _variables_by_name(var_list: Iterable[Variable] | Mapping[str, Variable]) -> dict[str, Variable]:
    """``{checkpoint name: variable}``; two variables may not share a name."""
    if isinstance(var_list, Mapping):
        pairs = list(var_list.items())
    else:
        pairs = []
        for variable in var_list:
            if not isinstance(variable, Variable):
                raise TypeError(f"Variable to save is not a Variable: {variable}")
            pairs.append((variable.op.name, variable))
    variables: dict[str, Variable] = {}
    for name, variable in pairs:
        if name in variables:
            raise ValueError(f"At least two variables have the same name: {name}")
        variables[name] = variable
    return variables


def _type_string(dtype: dtypes.DType) -> str:
    name = dtype.base_dtype.name
    return _TYPE_STRINGS.get(name, name)


def _shape_string(shape: Iterable[Any]) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _check_against_checkpoint(variables: Mapping[str, Variable], reader: CheckpointReader) -> None:
    """Raise TF1's restore error if a name is missing or a dtype or shape differs (from the
    index alone: no value is read).

    As in TF1: missing names first (in sorted order), then all dtype mismatches, then the
    first shape mismatch; the message says that the graph and the checkpoint disagree.
    """
    saved = set(reader.tensor_names())
    missing = sorted(name for name in variables if name not in saved)
    if missing:
        raise _restore_error(errors.NotFoundError, "a Variable name or other graph key that is missing",
                             f"Key {missing[0]} not found in checkpoint")
    wrong_dtypes = [f"tensor_name = {name}; expected dtype {_type_string(variables[name].dtype)} "
                    f"does not equal original dtype {_type_string(reader.dtype(name))}"
                    for name in sorted(variables)
                    if reader.dtype(name) != variables[name].dtype.base_dtype]
    if wrong_dtypes:
        raise _restore_error(errors.InvalidArgumentError,
                             "a mismatch between the current graph and the graph", "\n".join(wrong_dtypes))
    for name, variable in variables.items():
        if not variable.shape.is_compatible_with(reader.shape(name)):
            raise _restore_error(
                errors.InvalidArgumentError, "a mismatch between the current graph and the graph",
                f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{_shape_string(variable.shape.as_list())} rhs shape= {_shape_string(reader.shape(name))}")


def _restore_error(error_class: type, cause: str, original: str) -> errors.OpError:
    return error_class(None, None, f"Restoring from checkpoint failed. This is most likely due to {cause} "
                                   "from the checkpoint. Please ensure that you have not altered the graph "
                                   f"expected based on the checkpoint. Original error:\n\n{original}")


# ---------------------------------------------------------------------------------------------
# Meta graphs: the graph, its collections and the saver's settings, in the .meta file
# ---------------------------------------------------------------------------------------------

def export_meta_graph(filename: str | os.PathLike | None = None, graph: Graph | None = None,
                      saver_def: Any = None, collection_list: Iterable[str] | None = None,
                      as_text: bool = False) -> Any:
    """``tf.train.export_meta_graph``: a ``MetaGraphDef`` of ``graph`` (default graph) with its
    collections (all, or those in ``collection_list``); written to ``filename`` if given."""
    graph = graph or get_default_graph()
    meta_graph = protos.proto_module("meta_graph_pb2").MetaGraphDef(
        graph_def=graph.as_graph_def(add_shapes=True))
    if saver_def is not None:
        meta_graph.saver_def.CopyFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        _add_collection_def(meta_graph, key, graph.get_collection(key))
    if filename is not None:
        _write_proto(meta_graph, os.fspath(filename), as_text)
    return meta_graph


def _write_proto(message: Any, path: str, as_text: bool) -> None:
    from google.protobuf import text_format

    data = text_format.MessageToString(message).encode("utf-8") if as_text else \
        message.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)


def write_graph(graph_or_graph_def: Any, logdir: str | os.PathLike, name: str,
                as_text: bool = True) -> str:
    """``tf.train.write_graph``: write a graph's ``GraphDef`` to ``logdir/name`` -- as text by
    default, as TF1 does (``as_text=False``: binary, a ``.pb``); returns the path.  Real
    TensorFlow's ``tf.import_graph_def`` reads it."""
    definition = (graph_or_graph_def.as_graph_def() if isinstance(graph_or_graph_def, Graph)
                  else graph_or_graph_def)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(os.fspath(logdir), name)
    _write_proto(definition, path, as_text)
    return path


def _add_collection_def(meta_graph: Any, key: str, items: list) -> None:
    """Store one collection as TF1 does: variables as ``VariableDef``s, graph elements by name,
    strings and numbers as values.  Other Python objects cannot be stored and are left out."""
    if not items:
        return
    collection = meta_graph.collection_def[key]
    first = items[0]
    if key in _VARIABLE_COLLECTIONS:
        collection.bytes_list.value.extend(_variable_def(v).SerializeToString()
                                           for v in items if isinstance(v, Variable))
    elif isinstance(first, (str, bytes)):
        collection.bytes_list.value.extend(protos.as_bytes(item) for item in items)
    elif isinstance(first, (int, np.integer)):
        collection.int64_list.value.extend(int(item) for item in items)
    elif isinstance(first, float):
        collection.float_list.value.extend(items)
    elif all(isinstance(item, (Tensor, Operation, Variable)) for item in items):
        collection.node_list.value.extend(item.name for item in items)
    else:
        del meta_graph.collection_def[key]


def _variable_def(variable: Variable) -> Any:
    """The ``VariableDef`` naming a variable's ops, as TF1's ``Variable.to_proto()``."""
    return protos.proto_module("variable_pb2").VariableDef(
        variable_name=variable.name, initial_value_name=variable.initial_value.name,
        initializer_name=variable.initializer.name, snapshot_name=variable.value().name,
        trainable=variable.trainable)


class MetaGraphFileError(errors.DataLossError, OSError):
    """A ``.meta`` file that does not parse: TF1 raises ``IOError`` there, so this is one too."""


def read_meta_graph_file(filename: str | os.PathLike) -> Any:
    """The ``MetaGraphDef`` in a ``.meta`` file, binary or text (as TF1 reads both)."""
    from google.protobuf import text_format
    from google.protobuf.message import DecodeError

    meta_graph_pb2 = protos.proto_module("meta_graph_pb2")
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise OSError(f"File {os.fspath(filename)} does not exist.") from None
    try:
        return meta_graph_pb2.MetaGraphDef.FromString(data)
    except DecodeError as error:
        try:
            return text_format.Parse(data.decode("utf-8"), meta_graph_pb2.MetaGraphDef())
        except (UnicodeDecodeError, text_format.ParseError):
            raise MetaGraphFileError(None, None, f"Cannot parse file {os.fspath(filename)}: "
                                                 f"{error}.") from None


def import_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False,
                      import_scope: str | None = None) -> Saver | None:
    """``tf.train.import_meta_graph``: rebuild a saved graph in the default graph.

    Takes a ``.meta`` file (or a ``MetaGraphDef``), re-creates its operations and collections
    (variables become ``tf.Variable`` objects again), and returns a Saver for its variables, to
    ``restore`` their values (None if the graph has no variables)::

        saver = tf.train.import_meta_graph('./model/dnn.ckpt-2.meta')
        saver.restore(sess, './model/dnn.ckpt-2')
        logits = tf.get_default_graph().get_tensor_by_name('output/MatMul:0')

    With ``import_scope`` every name gets that prefix; the Saver still uses the saved names.
    (``clear_devices`` is accepted for TF1 code: minitf graphs have no devices.)
    """
    meta_graph = meta_graph_or_file
    if not isinstance(meta_graph, protos.proto_module("meta_graph_pb2").MetaGraphDef):
        meta_graph = read_meta_graph_file(meta_graph_or_file)
    graph = get_default_graph()
    import_nodes(meta_graph.graph_def, graph, import_scope)
    imported = _import_collections(meta_graph.collection_def, graph, import_scope)
    prefix = f"{import_scope}/" if import_scope else ""
    saved_variables = {v.op.name[len(prefix):]: v for v in imported.get(GraphKeys.GLOBAL_VARIABLES, [])}
    if not saved_variables:
        return None
    saver_def = meta_graph.saver_def
    if not meta_graph.HasField("saver_def"):
        return Saver(saved_variables)
    return Saver(saved_variables, max_to_keep=saver_def.max_to_keep,
                 keep_checkpoint_every_n_hours=saver_def.keep_checkpoint_every_n_hours or 10000.0)


def _import_collections(collection_defs: Any, graph: Graph, import_scope: str | None) -> dict[str, list]:
    """Add the saved collections to ``graph``; returns them (key -> items added)."""
    prefix = f"{import_scope}/" if import_scope else ""
    variables: dict[str, Variable] = {}   # one Variable object per variable, in every collection
    variable_def_class = protos.proto_module("variable_pb2").VariableDef
    added: dict[str, list] = {}
    for key, collection in collection_defs.items():
        kind = collection.WhichOneof("kind")
        if key in _VARIABLE_COLLECTIONS and kind == "bytes_list":
            items = []
            for serialized in collection.bytes_list.value:
                variable_def = variable_def_class.FromString(serialized)
                name = variable_def.variable_name
                if name not in variables:
                    variables[name] = Variable(variable_def=variable_def, import_scope=import_scope)
                items.append(variables[name])
        elif kind == "node_list":
            items = [graph.as_graph_element(prefix + name) for name in collection.node_list.value]
        elif kind in ("bytes_list", "int64_list", "float_list"):
            items = list(getattr(collection, kind).value)
        else:
            continue
        for item in items:
            graph.add_to_collection(key, item)
        added[key] = items
    return added
