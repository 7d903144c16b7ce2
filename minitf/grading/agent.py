"""Inside the student's kernel: hands the notebook's answers to the judge, as data.

The grader starts each sandboxed kernel with this module as an IPython extension, so it is
loaded before the first cell runs (and takes its :class:`~minitf.grading.evidence.Fingerprint`
then). At a test cell, instead of running the cell, the grader sends requests that the judge
wrote, each as one call ``serve("<request>")``; the answer comes back as display data of type
:data:`~minitf.grading.wire.MIMETYPE`. A request may ask for

* ``get``: the value of a name of the notebook;
* ``default_graph``: the notebook's default graph;
* ``call``: a call of one of the notebook's functions (with data, or tensors of a graph the
  judge shares) in the judge's graph, so the operations it builds go back to the judge (in a
  TF2 notebook, executing eagerly, the call runs eagerly, as in the notebook);
* ``attr``: a public attribute of one of the notebook's objects handed out by reference (a
  function, a Keras model, an optimizer): ``model.count_params``, ``optimizer.iterations``;
* ``check``: the course's check of a question whose answers cannot leave the kernel (TF2's
  functions and models), run here: a gate that can fail a question, never pass one, since only
  the hidden test in the judge earns its points.

Nothing in a request is test code: the hidden tests stay in the judge. Everything here runs in
the student's process and could be patched by the notebook; the judge treats what it receives
as the student's answer and nothing more (a forged answer is still only an answer), and the
patching itself shows in the fingerprint or in the grader's reading of the source.
"""
from __future__ import annotations

import contextlib
import io
from typing import Any

from ..graph import get_default_graph
from ..selfcheck import core as selfcheck
from ..session import Session
from . import wire
from .evidence import Fingerprint

_agent: Agent | None = None
MAX_MESSAGE_TEXT = 2000   # characters of an exception message that cross


def load_ipython_extension(shell: Any) -> None:
    """Called by IPython when the kernel starts (``--IPKernelApp.extensions=minitf.grading.agent``)."""
    global _agent
    _agent = Agent(shell)


def serve(request: str) -> None:
    """Answer one request of the judge; the answer is published as display data."""
    if _agent is None:
        raise RuntimeError("the grading agent was not loaded when the kernel started")
    _agent.shell.display_pub.publish(data={wire.MIMETYPE: _agent.handle(request)}, metadata={})


class KernelCodec(wire.Codec):
    """The kernel's side: functions and minitf's objects that are not data (a Keras model, an
    optimizer) cross as references, sessions as their variables' values."""

    def __init__(self, link: wire.Link):
        super().__init__(link)
        self.functions: dict[str, Any] = {}
        self._refs: dict[int, str] = {}

    def encode_other(self, value: Any, depth: int) -> Any:
        if isinstance(value, Session):
            return {"t": "session", "g": self.link.graph_id(value.graph),
                    "v": {name: self.encode(array, depth + 1)
                          for name, array in wire.session_values(value, value.graph).items()}}
        if callable(value) or type(value).__module__.startswith("minitf."):
            ref = self._refs.get(id(value))
            if ref is None:
                ref = self._refs[id(value)] = f"f{len(self.functions) + 1}"
                self.functions[ref] = value
            return {"t": "function", "ref": ref, "name": str(getattr(value, "__name__", type(value).__name__))[:100]}
        return super().encode_other(value, depth)

    def decode_other(self, tag: str, data: dict, depth: int) -> Any:
        if tag == "function":
            try:
                return self.functions[data["ref"]]
            except KeyError:
                raise wire.WireError(f"no function {data.get('ref')!r} was handed out") from None
        return super().decode_other(tag, data, depth)


class Agent:
    """Answers the requests of the judge of one question at a time.

    The fingerprint is taken as the first cell starts (in a cell, as the answers are sent
    later: IPython and ipykernel set some hooks of their own around every cell), and compared
    at the first request of each question.
    """

    def __init__(self, shell: Any):
        self.shell = shell
        self.fingerprint: Fingerprint | None = None
        self.question = None
        self.codec = KernelCodec(wire.Link("s"))
        shell.events.register("pre_run_cell", self._first_cell)

    def _first_cell(self, info: Any = None) -> None:
        self.shell.events.unregister("pre_run_cell", self._first_cell)
        self.fingerprint = Fingerprint(self.shell)

    def handle(self, text: str) -> str:
        reply: dict[str, Any] = {}
        try:
            request = wire.loads(text)
            if request.get("question") != self.question:   # a new question: forget the last one's graphs
                self.question = request.get("question")
                self.codec = KernelCodec(wire.Link("s"))
                reply["evidence"] = (self.fingerprint.changes() if self.fingerprint
                                     else ["the grading agent never saw a cell start"])
            self.codec.link.apply(request.get("graphs", {}))
            reply.update(self._answer(request))
            reply["graphs"] = self.codec.link.deltas()
        except wire.WireError as error:
            reply["error"] = str(error)
        except Exception as error:  # exporting the student's graph failed: the judge cannot use it
            reply["error"] = f"the answer could not be sent to the judge: {type(error).__name__}: {error}"
        return wire.dumps(reply)

    def _answer(self, request: dict) -> dict:
        kind = request.get("op")
        if kind == "get":
            name = request.get("name")
            if not isinstance(name, str) or name not in self.shell.user_ns:
                return {"missing": str(name)}
            return {"value": self.codec.encode(self.shell.user_ns[name])}
        if kind == "default_graph":
            return {"value": self.codec.encode(get_default_graph())}
        if kind == "call":
            function = self.codec.decode({"t": "function", "ref": request.get("ref")})
            args = self.codec.decode(request.get("args"))
            kwargs = self.codec.decode(request.get("kwargs"))
            graph = self.codec.link.graph(request["graph"])
            eager = get_default_graph().executes_eagerly   # a TF2 notebook: its functions run eagerly
            try:
                with contextlib.nullcontext() if eager else graph.as_default():
                    result = function(*args, **kwargs)
            except BaseException as error:  # noqa: B036 - SystemExit and KeyboardInterrupt are answers too
                return {"raised": _exception(error)}
            return {"value": self.codec.encode(result)}
        if kind == "attr":
            owner = self.codec.decode({"t": "function", "ref": request.get("ref")})
            name = request.get("name")
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise wire.WireError(f"a test may read public attributes only, not {name!r}")
            try:
                return {"value": self.codec.encode(getattr(owner, name))}
            except Exception as error:   # a missing attribute or a failing property: an answer too
                return {"raised": _exception(error)}
        if kind == "check":
            return {"value": self.codec.encode(_run_check(self.shell.user_ns, str(request.get("qid"))))}
        raise wire.WireError(f"unknown request {kind!r}")


def _run_check(namespace: dict, qid: str) -> dict:
    """The course's check of ``qid`` on the notebook's answers: whether it passed, what it printed, why not."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            selfcheck.check(qid, namespace)
    except Exception as error:  # noqa: BLE001 - a check that fails in any way is a failed check
        message = str(error) if isinstance(error, selfcheck.CheckFailed) else f"{type(error).__name__}: {error}"
        return {"passed": False, "printed": printed.getvalue(), "message": message[:MAX_MESSAGE_TEXT]}
    return {"passed": True, "printed": printed.getvalue(), "message": ""}


def _exception(error: BaseException) -> dict[str, str]:
    kind = type(error)
    try:
        message = str(error)
    except Exception:  # an exception whose str() fails: its type says enough
        message = ""
    return {"type": kind.__name__, "module": kind.__module__, "message": message[:MAX_MESSAGE_TEXT]}
