"""The first program in a sandbox: fill the working folder, set the limits, drop root, run the command.

Run by path (``python .../launch.py``), not as part of the package, so it starts in
milliseconds with nothing but the standard library::

    launch.py --files DIR --workdir DIR --uid 65534 --gid 65534 --limit as=4294967296 ... -- COMMAND...

``--files`` is copied into ``--workdir`` (a size-limited tmpfs), so the notebook can write next
to its files without touching the originals. As root (a grader run by root, sandbox without a
user namespace) it hands the writable folders to ``--uid``, empties the capability bounding set,
and becomes that unprivileged user; ``no_new_privs`` then keeps any setuid program from giving
rights back. The resource limits hold for the command and every process it starts.
"""
import argparse
import ctypes
import os
import resource
import shutil
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_LIMITS = {"as": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU, "nproc": resource.RLIMIT_NPROC,
           "fsize": resource.RLIMIT_FSIZE, "nofile": resource.RLIMIT_NOFILE, "core": resource.RLIMIT_CORE}


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}, {value}) failed")


def _drop_root(uid: int, gid: int, writable: list) -> None:
    for folder in writable:
        device = os.lstat(folder).st_dev
        for root, dirs, files in os.walk(folder):
            # what is bound read-only inside (a checkout under /tmp) is another mount: left as it is
            dirs[:] = [entry for entry in dirs if os.lstat(os.path.join(root, entry)).st_dev == device]
            for name in [root] + [os.path.join(root, entry) for entry in dirs + files]:
                if os.lstat(name).st_dev == device:
                    os.lchown(name, uid, gid)
    capability = 0
    while True:            # the bounding set, so that no program can ever get a capability back
        try:
            _prctl(_PR_CAPBSET_DROP, capability)
        except OSError:
            break
        capability += 1
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("the sandbox could not drop root")


def main(argv: list) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--writable", action="append", default=[])
    parser.add_argument("--uid", type=int)
    parser.add_argument("--gid", type=int)
    parser.add_argument("--limit", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    os.makedirs(args.workdir, exist_ok=True)
    if args.files and os.path.isdir(args.files):
        shutil.copytree(args.files, args.workdir, dirs_exist_ok=True, symlinks=True)
    if os.geteuid() == 0 and args.uid is not None:
        _drop_root(args.uid, args.gid if args.gid is not None else args.uid, [args.workdir, *args.writable])
    for item in args.limit:
        name, _, value = item.partition("=")
        resource.setrlimit(_LIMITS[name], (int(value), int(value)))
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    os.chdir(args.workdir)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
