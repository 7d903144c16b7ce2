"""What crosses the sandbox wall: answers as data, graphs as GraphDefs, never pickle.

The student's kernel (:mod:`~minitf.grading.agent`) and the judge that runs the hidden tests
(:mod:`~minitf.grading.judge`) are two processes in two sandboxes. They exchange JSON messages
in which every value is *data*: numbers, strings, numpy arrays (``.npy`` bytes read with
``allow_pickle=False``), lists, dicts, dtypes, shapes. Code never crosses: a student's function
crosses as a reference the judge can ask the kernel to call, and a graph crosses as a
``MetaGraphDef`` (operations, attrs, collections; TF1's own format), rebuilt op by op from
minitf's registry, so nothing in it can run but minitf's kernels.

A graph that crosses is *paired*: each side keeps its copy, and a message carries only the
operations each copy lacks (a delta). So when a hidden test calls ``scaled_sum(p, 1.0)``, the
kernel runs the student's function in its copy of the judge's graph, and the judge's copy
receives the operations the function added, with the names they got there.
"""
from __future__ import annotations

import base64
import io
import json
import math
import sys
from typing import Any

import numpy as np

from .. import dtypes
from ..graph import Graph, Operation, Tensor
from ..session import Session
from ..tensor_shape import TensorShape
from ..train.saver import export_meta_graph, import_meta_graph
from .. import protos
from ..variables import Variable

MIMETYPE = "application/vnd.minitf.grading+json"  # the kernel's answers, as display data
MAX_MESSAGE = 64 << 20   # bytes: a bigger message is refused (a submission cannot flood the grader)
MAX_DEPTH = 32           # nesting of lists and dicts

_DTYPES = {d.name: d for d in vars(dtypes).values() if isinstance(d, dtypes.DType)}


class WireError(ValueError):
    """A message that is not what the other side should send: too big, malformed, or forged."""


def dumps(message: dict) -> str:
    text = json.dumps(message, separators=(",", ":"), allow_nan=False)
    if len(text) > MAX_MESSAGE:
        raise WireError(f"a message of {len(text) >> 20} MiB is larger than the {MAX_MESSAGE >> 20} MiB allowed")
    return text


def loads(text: str) -> dict:
    if not isinstance(text, str) or len(text) > MAX_MESSAGE:
        raise WireError("a message is missing or larger than allowed")
    try:
        message = json.loads(text)
    except ValueError as error:
        raise WireError(f"a message is not JSON: {error}") from None
    if not isinstance(message, dict):
        raise WireError("a message is not a JSON object")
    return message


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise WireError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return _b64(buffer.getvalue())


def _unnpy(text: Any) -> np.ndarray:
    try:
        return np.load(io.BytesIO(_unb64(text)), allow_pickle=False)
    except (ValueError, OSError) as error:
        raise WireError(f"an array is not a plain .npy: {error}") from None


# ---------------------------------------------------------------------------------------------
# Paired graphs
# ---------------------------------------------------------------------------------------------

class Link:
    """One side's copies of the graphs it shares with the other side.

    Graphs get ids on first crossing (``side`` + a number, so the two sides never pick the same
    one). Both copies of a graph hold the same operations in the same order up to the count
    last synced, so a delta is "the operations from number n on", checked on arrival.
    """

    def __init__(self, side: str):
        self.side = side
        self._graphs: dict[str, Graph] = {}
        self._ids: dict[int, str] = {}                 # id(graph) -> its pair id
        self._synced: dict[str, tuple | None] = {}    # (ops, collection items, seed) the other side has
        self._glance: dict[str, tuple] = {}           # what the graph looked like at the last sync

    def graph_id(self, graph: Graph) -> str:
        gid = self._ids.get(id(graph))
        if gid is None:
            gid = f"{self.side}{len(self._graphs) + 1}"
            self._graphs[gid] = graph
            self._ids[id(graph)] = gid
            self._synced[gid] = None   # not announced to the other side yet
        return gid

    def graph(self, gid: Any) -> Graph:
        try:
            return self._graphs[gid]
        except (KeyError, TypeError):
            raise WireError(f"no graph {gid!r} was shared") from None

    def deltas(self) -> dict[str, dict]:
        """The operations and collection items of every shared graph that the other side lacks."""
        out = {}
        for gid, graph in self._graphs.items():
            if self._synced[gid] is not None and self._glance.get(gid) == _glance(graph):
                continue   # nothing added since the last sync: no need to write the graph down
            self._glance[gid] = _glance(graph)
            meta = export_meta_graph(graph=graph)
            ops = len(meta.graph_def.node)
            items = {key: _collection_length(meta.collection_def[key]) for key in meta.collection_def}
            state = (ops, items, graph.seed)
            if state == self._synced[gid]:
                continue
            synced_ops, synced_items, _ = self._synced[gid] or (0, {}, None)
            del meta.graph_def.node[:synced_ops]
            for key in list(meta.collection_def):
                _drop_collection_head(meta.collection_def[key], synced_items.get(key, 0))
                if not _collection_length(meta.collection_def[key]):
                    del meta.collection_def[key]
            out[gid] = {"from": synced_ops, "ops": ops, "items": items, "seed": graph.seed,
                        "meta": _b64(meta.SerializeToString())}
            self._synced[gid] = state
        return out

    def apply(self, deltas: Any) -> None:
        """Add the other side's new operations and collection items to our copies."""
        if not isinstance(deltas, dict):
            raise WireError("graph deltas should be an object")
        meta_class = protos.proto_module("meta_graph_pb2").MetaGraphDef
        for gid, delta in deltas.items():
            if not isinstance(gid, str) or not isinstance(delta, dict):
                raise WireError("a graph delta is malformed")
            if gid not in self._graphs:
                if delta.get("from") != 0:
                    raise WireError(f"graph {gid!r} is new but its delta does not start at op 0")
                graph = Graph()
                self._graphs[gid] = graph
                self._ids[id(graph)] = gid
            graph = self._graphs[gid]
            if delta.get("from") != len(graph.get_operations()):
                raise WireError(f"graph {gid!r} has {len(graph.get_operations())} ops here; "
                                f"a delta from op {delta.get('from')!r} does not fit")
            try:
                meta = meta_class.FromString(_unb64(delta.get("meta")))
                with graph.as_default():
                    import_meta_graph(meta)
            except WireError:
                raise
            except Exception as error:  # a GraphDef minitf cannot rebuild: not an answer we can judge
                raise WireError(f"a graph could not be rebuilt: {type(error).__name__}: {error}") from None
            graph.seed = delta.get("seed")
            if delta.get("ops") != len(graph.get_operations()) or not isinstance(delta.get("items"), dict):
                raise WireError(f"graph {gid!r} does not have the operations its delta announced")
            self._synced[gid] = (delta["ops"], delta["items"], graph.seed)
            self._glance[gid] = _glance(graph)


def _glance(graph: Graph) -> tuple:
    """A cheap summary that changes whenever a graph gains ops, collection items or a seed."""
    return (len(graph.get_operations()), graph.seed,
            tuple((key, len(graph.get_collection(key))) for key in sorted(graph.get_all_collection_keys())))


def _collection_length(collection: Any) -> int:
    kind = collection.WhichOneof("kind")
    return len(getattr(collection, kind).value) if kind else 0


def _drop_collection_head(collection: Any, count: int) -> None:
    kind = collection.WhichOneof("kind")
    if kind and count:
        del getattr(collection, kind).value[:count]


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------

class Codec:
    """Turns values into JSON data and back, sharing graphs through a :class:`Link`.

    The two sides differ only in what they do with values that are not data (functions,
    sessions): :meth:`encode_other` and :meth:`decode_other`.
    """

    def __init__(self, link: Link):
        self.link = link

    # ---- encoding -------------------------------------------------------------------------------
    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"a value is nested more than {MAX_DEPTH} levels deep")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if abs(value) < 2 ** 53 else {"t": "int", "v": str(value)}
        if kind is float:
            return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
        if kind is complex:
            return {"t": "complex", "v": [self.encode(value.real), self.encode(value.imag)]}
        if kind is bytes:
            return {"t": "bytes", "v": _b64(value)}
        if kind in (list, tuple, set, frozenset):
            items = list(value) if kind in (list, tuple) else sorted(value, key=repr)
            return {"t": kind.__name__, "v": [self.encode(item, depth + 1) for item in items]}
        if kind is dict:
            return {"t": "dict", "k": [self.encode(k, depth + 1) for k in value],
                    "v": [self.encode(v, depth + 1) for v in value.values()]}
        if isinstance(value, np.ndarray):
            return self._encode_array(np.asarray(value), depth)
        if isinstance(value, np.generic):
            return {"t": "npscalar", "v": self._encode_array(np.asarray(value), depth)}
        if isinstance(value, np.dtype):
            return {"t": "npdtype", "v": value.str}
        if isinstance(value, dtypes.DType):
            return {"t": "dtype", "v": value.name}
        if isinstance(value, TensorShape):
            return {"t": "shape", "v": None if value.dims is None else value.as_list()}
        eager = _eager_value(value)
        if eager is not None:
            return self._encode_array(eager, depth)
        if isinstance(value, Tensor):
            return {"t": "tensor", "g": self.link.graph_id(value.graph), "n": value.name}
        if isinstance(value, Operation):
            return {"t": "op", "g": self.link.graph_id(value.graph), "n": value.name}
        if isinstance(value, Variable):
            return {"t": "variable", "g": self.link.graph_id(value.graph), "n": value.op.name}
        if isinstance(value, Graph):
            return {"t": "graph", "g": self.link.graph_id(value)}
        if isinstance(value, type) and issubclass(value, np.generic):
            return {"t": "nptype", "v": np.dtype(value).str}
        return self.encode_other(value, depth)

    def _encode_array(self, array: np.ndarray, depth: int) -> dict:
        if array.dtype.kind == "O":  # strings fetched from a session: an object array of bytes
            return {"t": "objects", "shape": list(array.shape),
                    "v": [self.encode(item, depth + 1) for item in array.ravel().tolist()]}
        return {"t": "ndarray", "v": _npy(array)}

    def encode_other(self, value: Any, depth: int) -> Any:
        return {"t": "opaque", "type": f"{type(value).__module__}.{type(value).__qualname__}"}

    # ---- decoding -------------------------------------------------------------------------------
    def decode(self, data: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"a value is nested more than {MAX_DEPTH} levels deep")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            raise WireError("a list crossed without its tag")
        if not isinstance(data, dict) or not isinstance(data.get("t"), str):
            raise WireError(f"a value has no tag: {str(data)[:80]}")
        tag, v = data["t"], data.get("v")
        try:
            if tag == "int":
                return int(v)
            if tag == "float":
                return float(v)
            if tag == "complex":
                return complex(self.decode(v[0]), self.decode(v[1]))
            if tag == "bytes":
                return _unb64(v)
            if tag in ("list", "tuple", "set", "frozenset"):
                items = [self.decode(item, depth + 1) for item in v]
                return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
            if tag == "dict":
                return {self.decode(k, depth + 1): self.decode(item, depth + 1) for k, item in zip(data["k"], v, strict=True)}
            if tag == "ndarray":
                return _unnpy(v)
            if tag == "objects":
                items = [self.decode(item, depth + 1) for item in v]
                array = np.empty(len(items), dtype=object)
                array[:] = items
                return array.reshape(data["shape"])
            if tag == "npscalar":
                array = self.decode(v, depth + 1)
                if not isinstance(array, np.ndarray) or array.ndim != 0:
                    raise WireError("a numpy scalar is not a 0-d array")
                return array[()]
            if tag == "npdtype":
                return np.dtype(v)
            if tag == "nptype":
                return np.dtype(v).type
            if tag == "dtype":
                return _DTYPES[v]
            if tag == "shape":
                return TensorShape(v)
            if tag == "tensor":
                return self.link.graph(data["g"]).get_tensor_by_name(data["n"])
            if tag == "op":
                return self.link.graph(data["g"]).get_operation_by_name(data["n"])
            if tag == "variable":
                return self._variable(self.link.graph(data["g"]), data["n"])
            if tag == "graph":
                return self.link.graph(data["g"])
        except WireError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            raise WireError(f"a {tag!r} value is malformed: {type(error).__name__}: {error}") from None
        return self.decode_other(tag, data, depth)

    def decode_other(self, tag: str, data: dict, depth: int) -> Any:
        if tag == "opaque":
            return Opaque(str(data.get("type")))
        raise WireError(f"unknown value tag {tag!r}")

    @staticmethod
    def _variable(graph: Graph, name: str) -> Variable:
        for variable in graph.get_collection("variables") + graph.get_collection("local_variables"):
            if isinstance(variable, Variable) and variable.op.name == name:
                return variable
        raise WireError(f"variable {name!r} is not in its graph's collections")


def _eager_value(value: Any) -> np.ndarray | None:
    """The value of a TF2 eager tensor or variable (``minitf.v2``, notebook 08), or None: such
    values have no graph to share, so they cross as their numpy value."""
    v2 = sys.modules.get("minitf.v2")
    if v2 is not None and isinstance(value, (v2.EagerTensor, v2.Variable)):
        return np.asarray(value.numpy())
    return None


class Opaque:
    """A value of the notebook that is not data (a module, a generator, an object of the
    student's class): only its type crosses."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name} of the notebook>"


def session_values(session: Session, graph: Graph) -> dict[str, np.ndarray]:
    """The values of the initialised global variables of ``graph`` in ``session``, by op name."""
    values = {}
    for variable in graph.get_collection("variables"):
        if isinstance(variable, Variable):
            try:
                values[variable.op.name] = np.asarray(session.run(variable))
            except Exception:  # not initialised in that session: the judge sees it uninitialised too
                continue
    return values


def loaded_session(graph: Graph, values: dict[str, np.ndarray]) -> Session:
    """A new session on ``graph`` whose variables hold ``values`` (by op name)."""
    session = Session(graph=graph)
    for variable in graph.get_collection("variables"):
        if isinstance(variable, Variable) and variable.op.name in values:
            variable.load(values[variable.op.name], session)
    return session

