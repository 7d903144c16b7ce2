"""nbgrader's autograde with student code in a sandbox and test cells judged outside it.

``nbgrader_config.py`` puts :class:`SandboxedExecute` where nbgrader's ``Execute`` was, and
adds :class:`FlagForReview` after ``SaveAutoGrades``; feedback goes through
:class:`HideHiddenTests`. The rest of nbgrader's workflow (generate, collect, autograde,
formgrader, feedback, the gradebook) is unchanged. For one notebook, :class:`SandboxedExecute`

* starts the student's kernel in a sandbox (:mod:`~minitf.grading.sandbox`) with the grading
  agent loaded, and runs the notebook's cells in it one by one, as nbgrader does;
* never sends a test cell to that kernel: the test cell's code, taken from the gradebook (not
  from the submission), goes to a judge process in a second sandbox
  (:mod:`~minitf.grading.judge`), which asks the kernel for the answers it needs as data and
  says whether the tests pass; the cell's outputs are written from that verdict, so nbgrader
  scores it as usual (an error output: no points);
* contains every failure to its question: a cell that runs past ``timeout`` has its sandbox
  killed (everything in it: no interrupt to swallow, no process left behind); a kernel that dies
  (``os._exit``, a crash, killed) is restarted the same way: a new sandbox, in which the cells that
  had run without error are run again; the question scores 0 and grading goes on;
* withholds the points of test cells where the submission tampered with the machinery
  (:mod:`~minitf.grading.evidence`) and flags them for the instructor's review.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_locked, is_solution
from traitlets import Integer

from . import wire
from .evidence import scan
from .sandbox import Sandbox

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
REVIEW_KEY = "minitf_grading_review"   # resources[REVIEW_KEY]: grade id -> why its points are withheld
AGENT = "minitf.grading.agent"
STARTS = 3   # tries to start a new kernel after a restart
DROPPED = "minitf_grading_dropped"   # metadata of the notice that ends a cell's capped output


def split_test_cell(source: str) -> tuple[str, str]:
    """The visible part of a test cell (``check("05.q2")``) and its hidden tests.

    >>> split_test_cell('check("05.q2")\\n### BEGIN HIDDEN TESTS\\ndef hidden_test(student): ...\\n### END HIDDEN TESTS')
    ('check("05.q2")\\n', 'def hidden_test(student): ...\\n')
    """
    match = re.search(rf"^[ \t]*{BEGIN_HIDDEN}[ \t]*\n(.*?)^[ \t]*{END_HIDDEN}[ \t]*$\n?", source, re.S | re.M)
    if match is None:
        return source, ""
    return source[:match.start()] + source[match.end():], match.group(1)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start in a new sandbox and talk over Unix sockets in
    ``sockets`` (the sandbox has no network, not even the grader's loopback)."""

    def __init__(self, *, sandbox: Sandbox, sockets: str, files: str, log_file: str, **kwargs: Any):
        super().__init__(transport="ipc", ip=os.path.join(sockets, "kernel"),
                         connection_file=os.path.join(sockets, "kernel.json"), **kwargs)
        self.sandbox = sandbox
        self.sockets = sockets
        self.files = files
        self.log_file = log_file
        self.uid = sandbox.fresh_uid()

    @property
    def kernel_spec(self) -> KernelSpec:
        program = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                   f"--IPKernelApp.extensions={AGENT}"]
        return KernelSpec(argv=self.sandbox.command(program, files=self.files, sockets=self.sockets, uid=self.uid),
                          display_name="Python 3 (sandbox)", language="python", interrupt_mode="message")

    def write_connection_file(self, **kwargs: Any) -> None:
        super().write_connection_file(**kwargs)
        if os.geteuid() == 0:   # the sandboxed kernel runs as self.uid and must read it
            for path in (self.sockets, self.connection_file):
                os.chown(path, self.uid, self.uid)

    async def start_kernel(self, **kwargs: Any) -> None:   # type: ignore[override]
        self._log = open(self.log_file, "ab")   # the kernel's own messages, for the instructor
        kwargs.update(stdout=self._log, stderr=self._log, stdin=None)
        await super().start_kernel(**kwargs)

    async def cleanup_resources(self, restart: bool = False) -> None:   # type: ignore[override]
        await super().cleanup_resources(restart=restart)
        if not restart and getattr(self, "_log", None) is not None:
            self._log.close()


class KernelStopped(Exception):
    """The kernel had to be stopped (time limit) or died while running student code."""


class Judge:
    """The judge process (:mod:`minitf.grading.judge`) of one notebook, in its own sandbox."""

    def __init__(self, sandbox: Sandbox, log_file: str):
        self.sandbox = sandbox
        self.log_file = log_file
        self.process: asyncio.subprocess.Process | None = None
        self._pending: asyncio.Future | None = None

    async def start(self) -> None:
        if self.process is not None and self.process.returncode is None:
            return
        with open(self.log_file, "ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.sandbox.command([sys.executable, "-m", "minitf.grading.judge"]),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=log,
                limit=2 * wire.MAX_MESSAGE, start_new_session=True)
        self._pending = None

    async def send(self, message: dict) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        await self.process.stdin.drain()

    def next_message(self) -> asyncio.Future:
        """A future of the judge's next message (None when it has ended); the same future until
        it is taken with :meth:`take`, so a message is never lost to a cancelled wait."""
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._read())
        return self._pending

    def take(self) -> dict | None:
        assert self._pending is not None and self._pending.done()
        message, self._pending = self._pending.result(), None
        return message

    async def _read(self) -> dict | None:
        assert self.process is not None and self.process.stdout is not None
        try:
            line = await self.process.stdout.readline()
            return json.loads(line) if line else None
        except (ValueError, asyncio.LimitOverrunError):
            return None

    async def stop(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self.process = None


class SandboxedExecute(Execute):
    """nbgrader's Execute with the student's kernel in a sandbox, test cells judged outside it,
    and every failure contained to its question (see the module's docstring)."""

    test_timeout = Integer(300, help="Seconds one test cell may take, student code it calls included.").tag(config=True)
    iopub_timeout = Integer(60, help="Seconds to wait, once a cell has finished, for the rest of its output (a "
                                     "busy machine delivers a flood of it late; nbclient waits 4).").tag(config=True)
    max_output = Integer(1 << 20, help="Bytes of output one cell keeps; the rest is dropped.").tag(config=True)
    max_restarts = Integer(5, help="Kernel restarts a notebook may cause; after that its remaining "
                                   "questions score 0 (a notebook that hangs at every turn is not graded for hours).").tag(config=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.timeout_func = lambda cell: None     # time limits are ours (the watchdog), not nbclient's
        self.raise_on_iopub_timeout = False       # late output on a busy machine is not a failed notebook
        self._questions = itertools.count(1)

    # ---- one notebook -------------------------------------------------------------------------
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        self._sandbox = Sandbox(parent=self)
        self._sandbox.probe()   # stops here, saying why, when there can be no sandbox
        self._run_dir = tempfile.mkdtemp(prefix="minitf-grading-")
        os.chmod(self._run_dir, 0o711)
        try:
            self._prepare(nb, resources)
            return super().preprocess(nb, resources)
        finally:
            run_sync(self._judge.stop)()
            shutil.rmtree(self._run_dir, ignore_errors=True)

    def _prepare(self, nb: NotebookNode, resources: dict) -> None:
        run = Path(self._run_dir)
        (run / "kernel").mkdir()
        files = run / "files"
        shutil.copytree(resources.get("metadata", {}).get("path") or ".", files, symlinks=True,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        self._files = str(files)
        self._log = str(run / "sandbox.log")
        self._judge = Judge(self._sandbox, self._log)
        self._tests = self._test_cells(nb, resources)
        self._ran: list[int] = []                # cells that ran without error, to replay after a restart
        self._stopped: str | None = None         # why a cell of the current question did not finish
        self._restarts = 0
        self._broken: str | None = None          # why the rest of the notebook cannot run
        student = [c.source if c.cell_type == "code" and (is_solution(c) or not _is_nbgrader(c)) else ""
                   for c in nb.cells]
        self._findings = scan(student)
        resources[REVIEW_KEY] = {}

    def _test_cells(self, nb: NotebookNode, resources: dict) -> dict[str, tuple[str, str]]:
        """Each graded code cell's (visible, hidden) code, from the gradebook: whatever the
        submission says, the tests are the instructor's."""
        tests = {}
        info = resources.get("nbgrader", {})
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
                    name = cell.metadata.nbgrader["grade_id"]
                    try:
                        source = gb.find_source_cell(name, info["notebook"], info["assignment"]).source
                    except MissingEntry:
                        continue
                    tests[name] = split_test_cell(source)
        return tests

    def create_kernel_manager(self) -> AsyncKernelManager:
        self.km = SandboxedKernelManager(sandbox=self._sandbox, sockets=str(Path(self._run_dir) / "kernel"),
                                         files=self._files, log_file=self._log, config=self.config)
        return self.km

    # ---- one cell -----------------------------------------------------------------------------
    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        self._check_assign_resources(resources)
        if cell.cell_type != "code":
            return cell, self.resources
        name = cell.metadata.get("nbgrader", {}).get("grade_id")
        if is_grade(cell) and not is_solution(cell) and name in self._tests:
            run_sync(self._judge_cell)(cell, name, index)
        elif self._broken:
            cell.outputs = [_error("CellStopped", f"Not run: {self._broken}.")]
        else:
            run_sync(self._run_cell)(cell, index)
        return cell, self.resources

    async def _run_cell(self, cell: NotebookNode, index: int) -> None:
        """Run a cell of the notebook; if it does not finish in time, or kills its kernel, the
        question it belongs to (the next test cell) scores 0, in a new sandbox."""
        task = asyncio.ensure_future(self.async_execute_cell(cell, index, store_history=True))
        done, _ = await asyncio.wait({task}, timeout=self.timeout)
        try:
            if not done:
                await self._kill(task)
                stopped = f"ran past its time limit of {self.timeout:g} s and was stopped"
            else:
                task.result()
                stopped = None
        except DeadKernelError:
            stopped = "killed its kernel (os._exit, a crash, or a signal)"
        except Exception as lost:  # noqa: BLE001 - the kernel stopped answering as it should: start afresh
            self.log.warning("Cell %d: lost the kernel (%s: %s)", index, type(lost).__name__, lost)
            await self._kill(task)
            stopped = "left its kernel unable to answer"
        if stopped is None:
            if not any(o.output_type == "error" for o in cell.outputs):
                self._ran.append(index)
            return
        self.log.warning("Cell %d %s", index, stopped)
        cell.outputs.append(_error("CellStopped", f"This cell {stopped}."))
        self._stopped = f"cell {index + 1} of this question {stopped}"
        await self._restart(index)

    async def _kill(self, task: asyncio.Future) -> None:
        """Kill the sandbox of the kernel that runs ``task`` (all its processes), and let ``task`` end."""
        with contextlib.suppress(AttributeError, OSError):   # already gone
            await self.km.provisioner.kill()
        with contextlib.suppress(Exception, asyncio.CancelledError):   # it ends by failing: the kernel is dead
            await task

    async def _restart(self, index: int) -> None:
        """A new kernel in a new sandbox, with the cells before ``index`` that had run without
        error run again (without their outputs), so the questions after this one are graded.
        After ``max_restarts``, or if no kernel will start, the rest of the notebook is not run."""
        self._restarts += 1
        if self._restarts > self.max_restarts:
            self._broken = f"the notebook's kernel had to be restarted more than {self.max_restarts} times"
            return
        try:
            await self._new_kernel()
        except Exception as error:  # noqa: BLE001 - whatever it is, this notebook can go no further
            self._broken = f"the notebook's kernel could not be restarted ({type(error).__name__}: {error})"
            if self.km is None:   # an idle manager, so that nbclient's clean-up at the end has one to close
                self.create_kernel_manager()
            return
        for earlier in [i for i in self._ran if i < index]:
            try:
                await asyncio.wait_for(self._kernel_run(self.nb.cells[earlier].source, collect=False), self.timeout)
            except (asyncio.TimeoutError, KernelStopped):
                self.log.warning("Replaying cell %d failed; restarting without it", earlier)
                self._ran.remove(earlier)
                await self._restart(index)
                return

    async def _new_kernel(self) -> None:
        """Restart the kernel in a new sandbox. A kernel that dies as it starts (on a machine still
        busy with the remains of the last sandbox, a fork storm's, say) gets :data:`STARTS` tries."""
        for attempt in range(1, STARTS + 1):
            try:
                if self.km is None:   # nbclient drops the manager of a kernel that failed to start
                    self.create_kernel_manager()
                    await self.km.start_kernel(extra_arguments=self.extra_arguments)
                else:
                    await self.km.restart_kernel(now=True)
                if self.kc is not None:
                    self.kc.stop_channels()
                await self.async_start_new_kernel_client()
                return
            except Exception as error:  # noqa: BLE001 - tried again, then given up on by the caller
                if attempt == STARTS:
                    raise
                self.log.warning("A new kernel did not start (%s: %s); trying again", type(error).__name__, error)
                await asyncio.sleep(attempt)

    async def _kernel_run(self, code: str, collect: bool) -> str | None:
        """Run ``code`` in the kernel without history or outputs; returns the grading agent's
        answer (display data of :data:`~minitf.grading.wire.MIMETYPE`) when ``collect``."""
        msg_id = self.kc.execute(code, silent=False, store_history=False, allow_stdin=False, stop_on_error=False)
        answer = None
        while True:
            try:
                msg = await self.kc.get_iopub_msg(timeout=1)
            except Empty:
                if not await self.km.is_alive():
                    raise KernelStopped("the kernel died while running the student's code") from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if collect and kind == "display_data" and wire.MIMETYPE in content.get("data", {}):
                answer = content["data"][wire.MIMETYPE]
            if kind == "status" and content.get("execution_state") == "idle":
                break
        while True:   # the execute reply, so the shell channel stays in step
            try:
                reply = await self.kc.get_shell_msg(timeout=10)
            except Empty:
                break
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return answer

    # ---- test cells ---------------------------------------------------------------------------
    async def _judge_cell(self, cell: NotebookNode, name: str, index: int) -> None:
        """Run the test cell ``name`` in the judge, relaying its questions to the kernel."""
        visible, hidden = self._tests[name]
        question = f"{name}#{next(self._questions)}"
        deadline = time.monotonic() + self.test_timeout
        verdict: dict | None = None
        if self._stopped or self._broken:
            reason = self._stopped or self._broken
            verdict = {"passed": False, "error": {"ename": "CellStopped", "evalue": f"No points: {reason}."}}
            self._stopped = None
        try:
            if verdict is None:
                await self._judge.start()
                await self._judge.send({"type": "test", "question": question, "visible": visible, "hidden": hidden})
            while verdict is None:
                message = await self._judge_message(deadline)
                if message is None:
                    raise KernelStopped("the test's process ended (out of memory or time)")
                if message.get("type") == "verdict":
                    verdict = message
                elif message.get("type") == "ask":
                    reply = await self._relay(message, index, deadline)
                    if reply is not None:
                        await self._judge.send(reply)
        except Exception as stop:  # noqa: BLE001 - whatever stopped the test, it fails, and grading goes on
            await self._judge.stop()
            self.log.warning("Test cell %s: %s: %s", name, type(stop).__name__, stop)
            verdict = {"passed": False, "printed": "", "evidence": [], "error": {
                "ename": "TestStopped", "evalue": f"the test did not finish in {self.test_timeout} s on this answer"
                if isinstance(stop, asyncio.TimeoutError) else f"the test could not run on this answer ({stop})"}}
        if verdict.get("log"):
            self.log.info("Test cell %s failed:\n%s", name, str(verdict["log"])[-5000:])
        cell.outputs = self._verdict_outputs(cell, name, index, verdict)
        cell.execution_count = None

    async def _judge_message(self, deadline: float) -> dict | None:
        message = self._judge.next_message()
        done, _ = await asyncio.wait({message}, timeout=max(0.0, deadline - time.monotonic()))
        if not done:
            raise asyncio.TimeoutError
        return self._judge.take()

    async def _relay(self, ask: dict, index: int, deadline: float) -> dict | None:
        """Send one request of the judge to the kernel; its answer, or why the kernel could not
        give one. If the judge sends something before the kernel answers (a time limit of the
        check stopped the test), the kernel is killed and restarted, and that message is kept for
        the judge loop."""
        code = f"__import__({AGENT!r}, fromlist=['serve']).serve({ask.get('text', '')!r})"
        call = asyncio.ensure_future(self._kernel_run(code, collect=True))
        judge_spoke = self._judge.next_message()
        timeout = max(0.0, deadline - time.monotonic())
        if self.timeout:
            timeout = min(timeout, self.timeout)
        done, _ = await asyncio.wait({call, judge_spoke}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if call in done:
            try:
                answer = call.result()
            except KernelStopped as died:
                await self._restart(index)
                return {"type": "reply", "seq": ask.get("seq"), "stopped": str(died)}
            if answer is None:
                return {"type": "reply", "seq": ask.get("seq"), "stopped": "the notebook's kernel gave no answer"}
            return {"type": "reply", "seq": ask.get("seq"), "text": answer}
        await self._kill(call)
        await self._restart(index)
        if judge_spoke in done:
            return None
        return {"type": "reply", "seq": ask.get("seq"), "stopped": f"the student's code ran past {timeout:.0f} s "
                                                                    "and was stopped"}

    def _verdict_outputs(self, cell: NotebookNode, name: str, index: int, verdict: dict) -> list:
        outputs = []
        printed = str(verdict.get("printed") or "")
        if printed:
            outputs.append(new_output("stream", name="stdout", text=printed))
        error = verdict.get("error") if not verdict.get("passed") else None
        if error:
            ename = str(error.get("ename", "Error"))[:100]
            evalue = str(error.get("evalue", ""))[:4000]
            outputs.append(_error(ename, evalue))
        else:
            outputs.append(new_output("stream", name="stdout", text="✔ The hidden tests passed.\n"))
        reasons = [f"the notebook changed the grading machinery: {line}" for line in verdict.get("evidence", [])][:20]
        reasons += [f"cell {i + 1} {line}" for i, lines in self._findings.items() if i < index for line in lines][:20]
        if reasons:
            self.resources[REVIEW_KEY][name] = reasons
            outputs.append(_error("ReviewNeeded", "The points of this question are withheld until the instructor "
                                  "has looked at the notebook:\n  - " + "\n  - ".join(reasons)))
        return outputs

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        """nbclient's output handling, with the output a cell keeps capped at ``max_output`` bytes:
        a stream keeps what fits, then a notice says the rest was dropped (display data, which
        nbgrader's LimitOutput keeps whatever the streams' length)."""
        if outs and outs[-1].get("metadata", {}).get(DROPPED):
            return None
        room = self.max_output - sum(len(json.dumps(o)) for o in outs)
        content = msg.get("content", {})
        if room > 0 and not (msg.get("msg_type") == "stream" and len(content.get("text", "")) > room):
            return super().output(outs, msg, display_id, cell_index)
        out = None
        if room > 0:   # a stream, cut to fit
            content["text"] = content["text"][:room]
            out = super().output(outs, msg, display_id, cell_index)
        notice = f"[the rest of this cell's output was dropped: it kept the first {self.max_output} bytes]"
        outs.append(new_output("display_data", data={"text/plain": notice}, metadata={DROPPED: True}))
        return out


def _error(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _is_nbgrader(cell: NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader"))


class FlagForReview(NbGraderPreprocessor):
    """After ``SaveAutoGrades``: marks the test cells whose points were withheld (tampering) as
    needing manual grading, so formgrader lists them for the instructor."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        flagged = resources.get(REVIEW_KEY) or {}
        if flagged:
            info = resources["nbgrader"]
            with Gradebook(info["db_url"]) as gb:
                for name, reasons in flagged.items():
                    grade = gb.find_grade(name, info["notebook"], info["assignment"], info["student"])
                    grade.needs_manual_grade = True
                    self.log.warning("%s/%s %s: points withheld for review: %s", info["student"],
                                     info["assignment"], name, "; ".join(reasons))
                gb.db.commit()
        return nb, resources


class HideHiddenTests(ClearHiddenTests):
    """Feedback shows whether each test passed, never the tests' code.

    nbgrader's feedback renders the autograded notebook, in which the hidden tests have been put
    back (jupyter/nbgrader#917). This removes the hidden region from each test cell (whose code
    comes from the gradebook), and deletes from every output any line that holds a line of a
    hidden test. Other cells are left as the student wrote them, even if they contain the
    markers (nbgrader's own preprocessor fails on them).
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        self._secrets = {line.strip() for cell in nb.cells if cell.cell_type == "code" and is_grade(cell)
                         for line in split_test_cell(cell.source)[1].splitlines() if len(line.strip()) >= 4}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type == "code" and is_grade(cell) and (is_locked(cell) or not is_solution(cell)):
            cell.source = split_test_cell(cell.source)[0]
        for output in cell.get("outputs", []):
            _redact(output, self._secrets)
        return cell, resources


def _redact(output: NotebookNode, secrets: set[str]) -> None:
    def clean(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return "\n".join("[a line that matches a hidden test was removed]" if _holds_secret(line, secrets) else line
                         for line in text.split("\n"))

    if "text" in output:
        output.text = clean(output.text)
    if output.get("output_type") == "error":
        output.evalue = clean(output.evalue)
        output.traceback = [clean(line) for line in output.traceback]
    for mime, data in output.get("data", {}).items():
        if isinstance(data, str) and not mime.startswith("image/"):
            output.data[mime] = clean(data)


def _holds_secret(line: str, secrets: set[str]) -> bool:
    stripped = line.strip()
    return bool(stripped) and (stripped in secrets or any(len(s) >= 12 and s in stripped for s in secrets))
