"""The judge: runs a notebook's test cells on the answers its kernel hands over, as data.

One judge process grades one notebook, in its own sandbox, apart from the student's kernel: the
test cells (the visible ``check(...)`` and the hidden tests) never enter the student's
interpreter, so nothing the notebook does can read, skip or rewrite them. For each test cell
the grader sends the cell's two parts; the judge

1. runs the hidden part's top-level code (imports, helpers, ``GIVEN``),
2. runs the visible part, in which ``check("05.q2")`` is the course's check, run here on the
   student's answers,
3. calls ``hidden_test(student)`` if the check passed,

and answers with a verdict. Whatever the tests ask of the notebook (``student["mse"]``, a call
of the student's function) the judge sends to the grader, which relays it to the kernel.

Protocol (JSON lines; the judge writes on a private copy of its stdout, so nothing a test or an
op prints can pass for a message):

* grader -> judge: ``{"type": "test", "question", "visible", "hidden"}``, then the answers to
  the judge's requests, ``{"type": "reply", "seq", "text"}`` or ``{"type": "reply", "seq", "stopped"}``;
* judge -> grader: ``{"type": "ask", "seq", "text"}`` and, at the end of a test,
  ``{"type": "verdict", "passed", "printed", "error", "evidence", "log"}``.
"""
from __future__ import annotations

import builtins as _builtins
import contextlib as _contextlib
import io as _io
import json as _json
import os as _os
import sys as _sys
import traceback as _traceback
from typing import Any

from .. import errors as _errors
from ..graph import Graph as _Graph, get_default_graph as _get_default_graph
from ..selfcheck import core as _selfcheck
from . import wire as _wire

MAX_TEXT = 4000   # characters of any message that goes into the feedback


class NotAnswered(AssertionError):
    """The notebook has no value under a name the test reads."""


class StudentCodeError(Exception):
    """The student's code raised an exception the judge has no class for (or a BaseException)."""


class StudentCodeStopped(Exception):
    """The student's code was stopped: it ran out of time or memory, or its kernel died."""


class Student:
    """The notebook being graded, as a hidden test sees it.

    ``student["name"]`` is the notebook's value of ``name``, as data: numbers, strings, numpy
    arrays, lists and dicts as they are; tensors, operations, variables and graphs in a copy of
    their graph; a session as a new session on that copy holding its variables' values; a
    function as a callable that runs the student's function in the kernel. ``name in student``
    says whether the notebook defines it. Names in ``given`` (the hidden test's ``GIVEN``) are
    the grader's own values and are never read from the notebook.
    """

    def __init__(self, channel: _Channel, question: str, given: dict[str, Any] | None = None):
        self._channel = channel
        self._question = question
        self._given = dict(given or {})
        self._codec = _JudgeCodec(_wire.Link("j"), self)
        self._values: dict[str, Any] = {}
        self.evidence: list[str] = []
        self.stopped: str | None = None

    def __getitem__(self, name: str) -> Any:
        if name in self._given:
            return self._given[name]
        if name not in self._values:
            reply = self._request({"op": "get", "name": name})
            if "missing" in reply:
                raise NotAnswered(f"`{name}` is not defined in the notebook: run the cell that defines it.")
            self._values[name] = reply["value"]
        return self._values[name]

    def __contains__(self, name: str) -> bool:
        try:
            self[name]
        except NotAnswered:
            return False
        return True

    def default_graph(self) -> _Graph:
        """The notebook's default graph (a copy, shared with the kernel)."""
        graph = self._request({"op": "default_graph"}).get("value")
        if not isinstance(graph, _Graph):
            raise NotAnswered("the notebook's kernel did not send its default graph: its answers cannot be read")
        return graph

    def _call(self, ref: str, name: str, args: tuple, kwargs: dict) -> Any:
        request = {"op": "call", "ref": ref, "args": self._codec.encode(list(args)),
                   "kwargs": self._codec.encode(dict(kwargs)), "graph": self._codec.link.graph_id(_get_default_graph())}
        reply = self._request(request)
        if "raised" in reply:
            raise _student_exception(reply["raised"], name)
        return reply["value"]

    def _attr(self, ref: str, name: str) -> Any:
        reply = self._request({"op": "attr", "ref": ref, "name": name})
        if "raised" in reply:
            raise _student_exception(reply["raised"], name)
        return reply["value"]

    def kernel_check(self, qid: str) -> None:
        """The course's check of ``qid``, run in the student's kernel: a gate, never a judge."""
        outcome = self._request({"op": "check", "qid": qid}).get("value")
        if not isinstance(outcome, dict):
            raise NotAnswered("the notebook's kernel did not run the check")
        print(str(outcome.get("printed", ""))[-MAX_TEXT:], end="")
        if outcome.get("passed") is not True:
            raise _selfcheck.CheckFailed(str(outcome.get("message", ""))[:MAX_TEXT])

    def _request(self, request: dict) -> dict:
        if self.stopped:
            raise StudentCodeStopped(self.stopped)
        request["question"] = self._question
        request["graphs"] = self._codec.link.deltas()
        answer = self._channel.ask(_wire.dumps(request))
        if "stopped" in answer:
            self.stopped = str(answer["stopped"])[:MAX_TEXT]
            raise StudentCodeStopped(self.stopped)
        reply = _wire.loads(answer.get("text"))
        evidence = reply.get("evidence", [])
        if isinstance(evidence, list):
            self.evidence += [str(line)[:200] for line in evidence if str(line)[:200] not in self.evidence][:50]
        if "error" in reply:
            raise NotAnswered(f"the notebook's answer could not be read: {str(reply['error'])[:MAX_TEXT]}")
        self._codec.link.apply(reply.get("graphs", {}))
        if "value" in reply:
            reply["value"] = self._codec.decode(reply["value"])
        return reply


class StudentFunction:
    """A function of the notebook (or one of minitf's objects, a Keras model, say): calling it
    runs it in the student's kernel; ``f.name`` reads its public attribute ``name`` there.

    Arguments cross as data; tensors cross with their graph, and the function builds its ops in
    the kernel's copy of the judge's default graph, which then come back here.
    """

    def __init__(self, student: Student, ref: str, name: str):
        self._student = student
        self._ref = ref
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._student._call(self._ref, self.__name__, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._student._attr(self._ref, name)

    def __repr__(self) -> str:
        return f"<the notebook's function {self.__name__}>"


class _JudgeCodec(_wire.Codec):
    def __init__(self, link: _wire.Link, student: Student):
        super().__init__(link)
        self.student = student

    def encode_other(self, value: Any, depth: int) -> Any:
        if isinstance(value, StudentFunction):
            return {"t": "function", "ref": value._ref}
        raise TypeError(f"a hidden test can pass data, tensors and the notebook's own functions to the "
                        f"student's code, not a {type(value).__name__}")

    def decode_other(self, tag: str, data: dict, depth: int) -> Any:
        if tag == "function":
            return StudentFunction(self.student, str(data.get("ref")), str(data.get("name", "function"))[:100])
        if tag == "session":
            graph = self.link.graph(data.get("g"))
            values = self.decode({"t": "dict", "k": list(data["v"]), "v": list(data["v"].values())}, depth + 1)
            return _wire.loaded_session(graph, values)
        return super().decode_other(tag, data, depth)


def _student_exception(raised: Any, name: str) -> BaseException:
    """The exception the student's function raised, as an exception of the same class when it is
    one of Python's or minitf's (so ``except ValueError`` in a test works), else a StudentCodeError."""
    raised = raised if isinstance(raised, dict) else {}
    kind, module = str(raised.get("type")), str(raised.get("module"))
    message = str(raised.get("message", ""))[:MAX_TEXT]
    if module == "builtins":
        cls = getattr(_builtins, kind, None)
        if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, AssertionError):
            with _contextlib.suppress(Exception):
                return cls(message)
    if module == "minitf.errors":
        cls = getattr(_errors, kind, None)
        if isinstance(cls, type) and issubclass(cls, _errors.OpError):
            return cls(None, None, message)
    return StudentCodeError(f"{kind}: {message}" if message else kind)


class _Channel:
    """The judge's end of the pipe to the grader."""

    def __init__(self, incoming: Any, outgoing: Any):
        self._incoming = incoming
        self._outgoing = outgoing
        self._seq = 0

    def send(self, message: dict) -> None:
        self._outgoing.write(_json.dumps(message) + "\n")
        self._outgoing.flush()

    def receive(self) -> dict | None:
        line = self._incoming.readline()
        return _json.loads(line) if line else None

    def ask(self, text: str) -> dict:
        """Send a request for the kernel; wait for its answer (answers to requests given up on
        earlier, when a time limit stopped a test, are skipped)."""
        self._seq += 1
        self.send({"type": "ask", "seq": self._seq, "text": text})
        while True:
            message = self.receive()
            if message is None:
                raise StudentCodeStopped("the grader stopped")
            if message.get("type") == "reply" and message.get("seq") == self._seq:
                return message


def run_test(channel: _Channel, message: dict) -> dict:
    """Run one test cell; the verdict says whether it passed, and why not, without its code."""
    namespace: dict[str, Any] = {"__name__": "__hidden_test__"}
    printed = _io.StringIO()
    student = None
    verdict: dict[str, Any] = {"type": "verdict", "passed": False, "error": None, "log": ""}
    try:
        with _contextlib.redirect_stdout(_sys.stderr):   # what loading data prints is for the log
            exec(compile(message["hidden"], "<hidden tests>", "exec"), namespace)
        student = Student(channel, message["question"], namespace.get("GIVEN"))
        namespace["check"] = student.kernel_check if namespace.get("KERNEL_CHECK") else _trusted_check(student)
        with _contextlib.redirect_stdout(printed):
            exec(compile(message["visible"], "<test cell>", "exec"), namespace)
            hidden_test = namespace.get("hidden_test")
            if not callable(hidden_test):
                raise RuntimeError("the hidden tests define no function hidden_test(student)")
            with _Graph().as_default():
                hidden_test(student)
        if student.stopped:
            raise StudentCodeStopped(student.stopped)
        verdict["passed"] = True
    except BaseException as error:  # noqa: B036 - a test that fails in any way is a failed test
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            error = StudentCodeStopped("the test was stopped")
        if student is not None and student.stopped and not isinstance(error, StudentCodeStopped):
            error = StudentCodeStopped(student.stopped)
        verdict["error"] = {"ename": type(error).__name__, "evalue": _message(error)}
        verdict["log"] = "".join(_traceback.format_exception(type(error), error, error.__traceback__))[-20000:]
    verdict["printed"] = printed.getvalue()[-MAX_TEXT:]
    verdict["evidence"] = student.evidence if student is not None else []
    return verdict


def _message(error: BaseException) -> str:
    if isinstance(error, _selfcheck.CheckFailed):
        return str(error)[:MAX_TEXT]
    text = str(error)
    return (text or "the test failed")[:MAX_TEXT]


def _trusted_check(student: Student):
    """``check(qid)`` for the judge: the course's own check, on the student's answers, with the
    notebook's default graph as default graph (as in the notebook)."""
    def check(qid: str) -> None:
        with student.default_graph().as_default():
            _selfcheck.check(qid, namespace=student)
    return check


def main() -> None:
    """Serve test cells on stdin until it closes; protocol messages go out on a private copy of stdout."""
    protocol = _os.fdopen(_os.dup(1), "w", encoding="utf-8")
    _os.dup2(2, 1)                     # whatever else writes to stdout goes to the grader's log
    _sys.stdout = _io.TextIOWrapper(_os.fdopen(1, "wb", closefd=False), encoding="utf-8", line_buffering=True)
    channel = _Channel(_sys.stdin, protocol)
    while (message := channel.receive()) is not None:
        if message.get("type") == "test":
            channel.send(run_test(channel, message))


if __name__ == "__main__":
    main()
