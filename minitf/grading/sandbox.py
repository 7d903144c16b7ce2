"""The sandbox student code runs in: Debian's bubblewrap, new namespaces, limits, no root.

``bwrap`` builds a new root file system from nothing, so a sandboxed process sees only what is
bound into it:

* read-only: the system's ``/usr`` (and ``/lib``, ``/bin``...), the Python installation and its
  packages, the minitf package (when it is not installed there, only its own folder, never the
  repository around it) and the data folders the notebooks read (``MNIST_DIR``);
* writable: size-limited in-memory folders (``/tmp``, the home folder, the working folder with a
  copy of the submission's own files), and one folder of sockets to talk to the grader.

Never the course folder: no gradebook, no ``solutions/``, no other submission, not even the
notebook being graded (cells reach the kernel one by one). New PID, network, IPC and UTS
namespaces: no network (only a loopback device), no other process in sight, so none to signal.
Then :mod:`minitf.grading.launch` sets the resource limits (memory, CPU time, processes, file
size) and, when the grader runs as root, becomes an unprivileged user with no capabilities;
run by another user, bwrap adds a user namespace and forbids nested ones. The environment is
emptied but for a few variables (``HOME``, ``PATH``, ``LANG``, ``MNIST_DIR``...).

A sandbox cannot start without bwrap: :func:`require_bwrap` then stops grading with an error
saying how to install it (``apt-get install bubblewrap``), never grading without isolation.
"""
from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from traitlets import Dict, Integer, List, Unicode
from traitlets.config import LoggingConfigurable

HOME = "/home/student"
_WORKING: set[tuple[str, ...]] = set()   # sandbox commands seen to work in this process
LAUNCH = Path(__file__).with_name("launch.py")


class SandboxUnavailable(RuntimeError):
    """The sandbox tool is missing or does not work here: grading stops rather than run unconfined."""


class Sandbox(LoggingConfigurable):
    """Where and how student code and the judge run (set in ``nbgrader_config.py`` as ``c.Sandbox.*``)."""

    bwrap = Unicode("bwrap", help="The bubblewrap program (Debian/Ubuntu: apt-get install bubblewrap).").tag(config=True)
    memory_mb = Integer(4096, help="Address space of each sandboxed process, in MiB.").tag(config=True)
    cpu_seconds = Integer(3600, help="CPU time of one kernel or judge, in seconds, all cells together.").tag(config=True)
    processes = Integer(256, help="Processes and threads the sandbox user may have.").tag(config=True)
    disk_mb = Integer(512, help="Size of each writable folder, and of any file written, in MiB.").tag(config=True)
    first_uid = Integer(200000, help="Grading as root, each sandbox runs as its own user id, drawn from "
                                     "first_uid ... first_uid + uid_count - 1 (ids with no account).").tag(config=True)
    uid_count = Integer(100000, help="How many user ids sandboxes are drawn from.").tag(config=True)
    data_dirs = List(Unicode(), help="Folders bound read-only into every sandbox, at the same path "
                                     "(the folder named by each variable of `env` that names a folder is added).").tag(config=True)
    env = List(Unicode(), ["MNIST_DIR", "LANG", "LC_ALL", "TZ"],
               help="Environment variables passed into the sandbox (all others are removed).").tag(config=True)
    packages = List(Unicode(), ["minitf"], help="Packages the sandbox must import, bound from wherever "
                                                "they are installed.").tag(config=True)
    extra_binds = Dict(help="More read-only binds, {path outside: path inside}.").tag(config=True)

    def fresh_uid(self) -> int:
        """A user id for one sandbox: its own processes, its own process limit, no one else's files."""
        return self.first_uid + secrets.randbelow(self.uid_count)

    def command(self, program: list[str], *, files: str | None = None, sockets: str | None = None,
                uid: int | None = None) -> list[str]:
        """The command line that runs ``program`` in a new sandbox.

        ``files``: a folder whose contents are copied into the working folder; ``sockets``: a
        folder bound writable at the same path (the kernel's connection file and sockets);
        ``uid``: the user the sandbox runs as when grading as root (default: a fresh one).
        """
        bwrap = require_bwrap(self.bwrap)
        root = os.geteuid() == 0
        args = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
        if not root:
            args += ["--unshare-user", "--disable-userns"]
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        args += ["--ro-bind", "/usr", "/usr", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                 "--ro-bind-try", "/etc/localtime", "/etc/localtime", "--proc", "/proc", "--dev", "/dev"]
        size = str(self.disk_mb << 20)
        args += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", HOME]
        python_path: list[str] = []
        binds = [(d, d) for d in self._python_dirs(python_path) + self._data_dirs()]
        binds += list(self.extra_binds.items())
        if sockets:
            binds.append((sockets, sockets))
        made = {"/", "/usr", "/proc", "/dev", "/tmp", HOME}
        for outside, inside in binds:
            args += _parents(inside, made)
            args += ["--bind" if outside == sockets else "--ro-bind", outside, inside]
        workdir = f"{HOME}/work"
        if files:
            args += ["--ro-bind", files, "/run/files"]
        args += ["--chdir", "/", "--clearenv", "--setenv", "HOME", HOME, "--setenv", "PATH", "/usr/bin:/bin",
                 "--setenv", "MPLCONFIGDIR", f"{HOME}/.matplotlib", "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]
        if python_path:
            args += ["--setenv", "PYTHONPATH", os.pathsep.join(python_path)]
        for name in self.env:
            if name in os.environ:
                args += ["--setenv", name, os.environ[name]]
        launch = [sys.executable, "-I", "-S", str(LAUNCH), "--workdir", workdir, "--writable", "/tmp",
                  "--writable", HOME, "--limit", f"as={self.memory_mb << 20}", "--limit", f"cpu={self.cpu_seconds}",
                  "--limit", f"nproc={self.processes}", "--limit", f"fsize={self.disk_mb << 20}",
                  "--limit", "nofile=1024", "--limit", "core=0"]
        if files:
            launch += ["--files", "/run/files"]
        if root:
            uid = self.fresh_uid() if uid is None else uid
            launch += ["--uid", str(uid), "--gid", str(uid)]
            if sockets:
                launch += ["--writable", sockets]
        return args + ["--", *launch, "--", *program]

    def probe(self) -> None:
        """Make one sandbox that runs nothing; :class:`SandboxUnavailable` with bwrap's own words
        when this machine does not let it (no user namespaces, no mount rights...)."""
        key = tuple(self.command([sys.executable, "-c", "pass"]))
        if key in _WORKING:
            return
        done = subprocess.run(key, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise SandboxUnavailable(
                "bubblewrap cannot make a sandbox on this machine, so grading stops rather than run student "
                f"code unconfined: {done.stderr.strip()[-800:]}\nSee docs/grading.md (Install, JupyterHub).")
        _WORKING.add(key)

    def _python_dirs(self, python_path: list[str]) -> list[str]:
        """The Python installation, site-packages folders, and the folders of :attr:`packages`
        that live elsewhere (a source checkout: only the package folder, whose parent goes on
        ``python_path``)."""
        dirs = []
        for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
            dirs.append(os.path.realpath(prefix))
        for entry in sys.path:
            real = os.path.realpath(entry) if entry else ""
            if os.path.basename(real) in ("site-packages", "dist-packages") and os.path.isdir(real):
                dirs.append(real)
        for package in self.packages:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise SandboxUnavailable(f"the package {package} that sandboxed notebooks import is not installed")
            folder = os.path.realpath(list(spec.submodule_search_locations)[0])
            if not any(_inside(folder, d) for d in dirs):
                dirs.append(folder)
                python_path.append(os.path.dirname(folder))
        return _outermost(dirs)

    def _data_dirs(self) -> list[str]:
        dirs = [os.path.realpath(d) for d in self.data_dirs]
        dirs += [os.path.realpath(os.environ[name]) for name in self.env
                 if os.path.isdir(os.environ.get(name, "")) and os.path.isabs(os.environ[name])]
        return _outermost(dirs)


def require_bwrap(program: str = "bwrap") -> str:
    """The path of bubblewrap, or :class:`SandboxUnavailable` saying how to get it."""
    found = shutil.which(program)
    if found is None:
        raise SandboxUnavailable(
            f"Grading runs every submission in a sandbox made by bubblewrap, and `{program}` is not "
            "installed. Install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf "
            "install bubblewrap) or set c.Sandbox.bwrap to its path. Grading does not run student "
            "code without the sandbox.")
    return found


def _parents(path: str, made: set[str]) -> list[str]:
    """bwrap arguments that create the folders above ``path`` readable by all (bwrap's own are 0700)."""
    args = []
    parent = os.path.dirname(path.rstrip("/"))
    chain = []
    while parent not in made and parent != "/":
        chain.append(parent)
        parent = os.path.dirname(parent)
    for folder in reversed(chain):
        args += ["--perms", "0755", "--dir", folder]
        made.add(folder)
    return args


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _outermost(dirs: list[str]) -> list[str]:
    """The folders, without those inside another one of them, in a stable order."""
    unique = sorted(set(dirs))
    return [d for d in unique if not any(_inside(d, other) and d != other for other in unique)]
