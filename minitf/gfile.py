"""tf.gfile (and TF 1.15's tf.io.gfile): the file helpers TF1 scripts use for checkpoint and data folders.

TensorFlow reads and writes files through its own file-system layer (so the same code works on
Google Cloud Storage or HDFS); minitf has local files only, on Python's ``os``, ``shutil`` and
``open``.  What stays TensorFlow's is the behaviour a script can see:

* errors are ``tf.errors`` classes, not ``OSError``: a missing file is a ``NotFoundError`` whose
  message is TF's ``"<path>; No such file or directory"`` (the OS error number picks the class as
  TF's ``ErrnoToCode`` does), and ``Copy``/``Rename`` onto an existing file without
  ``overwrite=True`` is an ``AlreadyExistsError``;
* ``MkDir``/``MakeDirs`` of a path that exists are no-ops; ``ListDirectory`` gives bare names;
  ``Glob`` matches ``*`` within one path component, as C's ``fnmatch``, and
  ``Walk`` yields ``(dir, subdirs, files)`` top-down (``in_order=False``: bottom-up);
* a ``GFile`` opens its file lazily (an unused ``GFile(path, 'w')`` creates nothing), ``read()``
  returns ``str`` in text modes and ``bytes`` in ``'rb'``, and ``write`` takes either.

Paths may be ``str``, ``bytes`` or ``os.PathLike``; names come back as ``str``.
"""
from __future__ import annotations

import errno
import fnmatch
import os
import re
import shutil
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from . import errors, tf1_api

# TF's ErrnoToCode: which tf.errors class an OS error number becomes (any other: UnknownError)
_ERRNO_CLASSES = {
    errors.InvalidArgumentError: ("EINVAL", "ENAMETOOLONG", "E2BIG", "EFAULT", "EILSEQ", "ENOTTY", "ESPIPE"),
    errors.DeadlineExceededError: ("ETIMEDOUT", "ETIME"),
    errors.NotFoundError: ("ENODEV", "ENOENT", "ENXIO", "ESRCH"),
    errors.AlreadyExistsError: ("EEXIST", "EALREADY"),
    errors.PermissionDeniedError: ("EPERM", "EACCES", "EROFS"),
    errors.FailedPreconditionError: ("ENOTEMPTY", "EISDIR", "ENOTDIR", "EBADF", "EBUSY", "EPIPE", "ETXTBSY"),
    errors.ResourceExhaustedError: ("ENOSPC", "EDQUOT", "EMFILE", "EMLINK", "ENFILE", "ENOBUFS", "ENOMEM"),
    errors.OutOfRangeError: ("EFBIG", "EOVERFLOW", "ERANGE"),
    errors.UnimplementedError: ("ENOSYS", "ENOTSUP", "EXDEV"),
    errors.UnavailableError: ("EAGAIN", "EINTR", "ENOLCK", "ENOLINK"),
    errors.AbortedError: ("EDEADLK", "ESTALE"),
    errors.CancelledError: ("ECANCELED",),
}
_CLASS_OF_ERRNO = {getattr(errno, name): cls for cls, names in _ERRNO_CLASSES.items()
                   for name in names if hasattr(errno, name)}
_MODES = ("r", "w", "a", "r+", "w+", "a+")


def _path(path) -> str:
    """A path argument (str, bytes or os.PathLike) as the str TF's functions return."""
    return os.fsdecode(path)


def _op_error(err: OSError, path: str) -> errors.OpError:
    """``err`` as TF reports it: ``"<path>; <the OS's message>"``, of the class its errno maps to."""
    if err.errno is None:   # shutil's own errors (the same file twice) carry a message, no number
        return errors.UnknownError(None, None, str(err))
    context = _path(err.filename) if err.filename is not None else path
    cls = _CLASS_OF_ERRNO.get(err.errno, errors.UnknownError)
    return cls(None, None, f"{context}; {os.strerror(err.errno)}")


@contextmanager
def _tf_errors(path: str):
    """OSErrors raised inside become TF's ``tf.errors`` (see :func:`_op_error`)."""
    try:
        yield
    except OSError as err:
        raise _op_error(err, path) from None


class FileStatistics(NamedTuple):
    """What ``Stat`` reports: the size in bytes, the modification time (whole seconds, in
    nanoseconds, as TF's POSIX file system gives it) and whether the path is a directory."""

    length: int
    mtime_nsec: int
    is_directory: bool


# ---- paths -----------------------------------------------------------------------------------
def exists(path) -> bool:
    """``tf.io.gfile.exists``: whether a file or directory is at ``path``."""
    return os.path.exists(_path(path))


def isdir(path) -> bool:
    """``tf.io.gfile.isdir``: whether ``path`` is a directory."""
    return os.path.isdir(_path(path))


def stat(path) -> FileStatistics:
    """``tf.io.gfile.stat``: a path's :class:`FileStatistics` (NotFoundError if there is nothing)."""
    path = _path(path)
    with _tf_errors(path):
        info = os.stat(path)
    return FileStatistics(info.st_size, int(info.st_mtime) * 10**9, os.path.isdir(path))


def mkdir(path) -> None:
    """``tf.io.gfile.mkdir``: create one directory; its parent must exist (a path that exists is fine)."""
    path = _path(path)
    with _tf_errors(path):
        try:
            os.mkdir(path)
        except FileExistsError:   # TF ignores AlreadyExists here
            pass


def makedirs(path) -> None:
    """``tf.io.gfile.makedirs``: create a directory and any missing parents (a path that exists is fine)."""
    path = _path(path)
    if not path:   # os.path.dirname of a bare file name: the current folder, which exists
        return
    with _tf_errors(path):
        try:
            os.makedirs(path, exist_ok=True)
        except FileExistsError:   # a file at ``path``: TF checks that something exists and stops there
            pass


def remove(path) -> None:
    """``tf.io.gfile.remove``: delete one file (a directory is a FailedPreconditionError)."""
    path = _path(path)
    with _tf_errors(path):
        os.remove(path)


def rmtree(path) -> None:
    """``tf.io.gfile.rmtree``: delete a directory and everything under it."""
    path = _path(path)
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    if not os.path.isdir(path):   # TF lists it as a directory first, and stops at the error
        raise errors.FailedPreconditionError(None, None, f"{path}; {os.strerror(errno.ENOTDIR)}")
    with _tf_errors(path):
        shutil.rmtree(path)


def _check_target(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def copy(src, dst, overwrite: bool = False) -> None:
    """``tf.io.gfile.copy``: copy a file's contents to ``dst`` (AlreadyExistsError if ``dst``
    exists, unless ``overwrite``)."""
    src, dst = _path(src), _path(dst)
    _check_target(dst, overwrite)
    with _tf_errors(src):
        shutil.copyfile(src, dst)


def rename(src, dst, overwrite: bool = False) -> None:
    """``tf.io.gfile.rename``: move a file or directory to ``dst`` (AlreadyExistsError if ``dst``
    exists, unless ``overwrite``)."""
    src, dst = _path(src), _path(dst)
    _check_target(dst, overwrite)
    with _tf_errors(src):
        os.replace(src, dst)


# ---- listing ---------------------------------------------------------------------------------
def listdir(path) -> list:
    """``tf.io.gfile.listdir``: the names in a directory (no ``.`` or ``..``), in no set order."""
    path = _path(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    with _tf_errors(path):
        return os.listdir(path)


def walk(top, topdown: bool = True, onerror=None) -> Iterator[tuple]:
    """``tf.io.gfile.walk``: ``(dirname, subdir names, file names)`` for ``top`` and every directory
    below it, each before its subdirectories (``topdown=False``: after them).  A missing ``top``
    yields nothing, after calling ``onerror(NotFoundError)`` if given.  As with ``os.walk``,
    removing names from a yielded ``subdirs`` list top-down skips those subdirectories."""
    top = _path(top)
    try:
        names = listdir(top)
    except errors.NotFoundError as err:
        if onerror is not None:
            onerror(err)
        return
    subdirs = [name for name in names if os.path.isdir(os.path.join(top, name))]
    files = [name for name in names if name not in subdirs]
    if topdown:
        yield top, subdirs, files
    for subdir in subdirs:
        yield from walk(os.path.join(top, subdir), topdown, onerror)
    if not topdown:
        yield top, subdirs, files


def Walk(top, in_order: bool = True) -> Iterator[tuple]:  # noqa: N802  (TF1's name)
    """``tf.gfile.Walk``: :func:`walk`, bottom-up when ``in_order`` is False."""
    return walk(top, topdown=in_order)


def glob(pattern) -> list:
    """``tf.io.gfile.glob``: the paths that match a pattern (or any pattern of a list of them).

    As TF's ``GetMatchingPaths``: ``*``, ``?`` and ``[...]`` match within one path component (dot
    files too), ``\\`` escapes a character; a pattern without a folder matches from ``./`` (and
    the results say so: ``./a.txt``); the folder the pattern starts from must exist.
    """
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else pattern
    return [path for one in patterns for path in _matching_paths(_path(one))]


def _matching_paths(pattern: str) -> list:
    """Every path under the pattern's fixed folder (breadth first) that matches it."""
    if not pattern:
        return []
    fixed_prefix = re.split(r"[*?\[\\]", pattern, maxsplit=1)[0]
    top = _dirname(fixed_prefix)
    if not top:
        top, fixed_prefix, pattern = ".", _join(".", fixed_prefix), _join(".", pattern)
    parts = re.sub(r"\\(.)", _unescape, pattern).split("/")
    found, folders = [], deque([top])
    while folders:
        folder = folders.popleft()
        try:
            names = sorted(os.listdir(folder))
        except PermissionError:
            continue
        except OSError as err:
            raise _op_error(err, folder) from None
        for name in names:
            path = _join(folder, name)
            if not path.startswith(fixed_prefix):   # cannot lead to a match
                continue
            if os.path.isdir(path):
                folders.append(path)
            if _matches(path, parts):
                found.append(path)
    return found


def _dirname(path: str) -> str:
    """TF's ``io::Dirname``: what comes before the last ``/`` (``/`` itself for ``/name``)."""
    slash = path.rfind("/")
    return "/" if slash == 0 else path[:max(slash, 0)]


def _join(folder: str, name: str) -> str:
    return folder + name if folder.endswith("/") or not name else f"{folder}/{name}"


def _unescape(match) -> str:
    """``\\x`` in a pattern: the character itself (a one-character set, so fnmatch takes it literally)."""
    return "/" if match.group(1) == "/" else f"[{match.group(1)}]"


def _matches(path: str, parts: list) -> bool:
    """C's ``fnmatch(pattern, path, FNM_PATHNAME)``: component by component."""
    names = path.split("/")
    return len(names) == len(parts) and all(fnmatch.fnmatchcase(n, p) for n, p in zip(names, parts))


# ---- files -----------------------------------------------------------------------------------
class GFile:
    """``tf.gfile.GFile(name, mode='r')``: a file in ``'r'``, ``'w'``, ``'a'``, ``'r+'``, ``'w+'`` or
    ``'a+'`` mode, ``'b'`` added for bytes.

    As TF's, it opens the file on the first read or write (and again after ``close()``), keeps a
    read position and a write stream apart (``'w'`` truncates when the first write comes), and
    reads text as UTF-8.  Iterating gives the lines; ``with GFile(...) as f:`` closes it.
    """

    def __init__(self, name, mode: str = "r"):
        self._name, self._mode = name, mode
        self._binary = "b" in mode
        plain = mode.replace("b", "")
        if plain not in _MODES:
            raise errors.InvalidArgumentError(None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._readable = plain in ("r", "r+", "a+", "w+")
        self._writable = plain in ("a", "w", "r+", "a+", "w+")
        self._append = "a" in plain
        self._reader = self._writer = None

    @property
    def name(self):
        """The path the file was opened with."""
        return self._name

    @property
    def mode(self) -> str:
        """The mode the file was opened with."""
        return self._mode

    def _path(self) -> str:
        return _path(self._name)

    def _read_stream(self):
        if self._reader is None:
            if not self._readable:
                raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
            with _tf_errors(self._path()):
                self._reader = open(self._path(), "rb")  # noqa: SIM115  (closed by close())
        return self._reader

    def _write_stream(self):
        if self._writer is None:
            if not self._writable:
                raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
            with _tf_errors(self._path()):
                self._writer = open(self._path(), "ab" if self._append else "wb")  # noqa: SIM115
        return self._writer

    def _value(self, data: bytes):
        return data if self._binary else data.decode("utf-8")

    def size(self) -> int:
        """The file's size in bytes."""
        return stat(self._name).length

    def write(self, file_content) -> None:
        """Append ``file_content`` (str, written as UTF-8, or bytes) to the file."""
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        elif not isinstance(file_content, (bytes, bytearray)):
            raise TypeError(f"Expected binary or unicode string, got {file_content!r}")
        with _tf_errors(self._path()):
            self._write_stream().write(file_content)

    def read(self, n: int = -1):
        """``n`` bytes from the current position (all the rest if ``n`` is -1): str in text modes
        (``n`` counts bytes, as in TF), bytes in ``'b'`` modes."""
        stream = self._read_stream()
        with _tf_errors(self._path()):
            return self._value(stream.read(None if n == -1 else n))

    def readline(self):
        """The next line, with its ``\\n`` (empty at the end of the file)."""
        stream = self._read_stream()
        with _tf_errors(self._path()):
            return self._value(stream.readline())

    def readlines(self) -> list:
        """All the remaining lines."""
        return list(self)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def seek(self, offset=None, whence: int = 0, position=None) -> None:
        """Move the read position to ``offset`` bytes from the start (``whence=0``), the current
        position (1) or the end (2).  Past the end is an OutOfRangeError, as in TF."""
        if offset is None and position is None:
            raise TypeError("seek(): offset argument required")
        if offset is not None and position is not None:
            raise TypeError("seek(): offset and position may not be set simultaneously.")
        offset = position if offset is None else offset
        stream = self._read_stream()
        if whence not in (0, 1, 2):
            raise errors.InvalidArgumentError(
                None, None, f"Invalid whence argument: {whence}. Valid values are 0, 1, or 2.")
        target = offset + (0, stream.tell(), self.size())[whence]
        if target < 0:
            raise errors.InvalidArgumentError(None, None, f"Seeking to a negative position: {target}")
        if target > self.size():
            raise errors.OutOfRangeError(None, None, "reached end of file")
        stream.seek(target)

    def tell(self) -> int:
        """The read position (the write position in ``'w'`` and ``'a'`` modes)."""
        stream = self._read_stream() if self._readable else self._write_stream()
        return stream.tell()

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        """Push what was written so far to the file."""
        if self._writer is not None:
            with _tf_errors(self._path()):
                self._writer.flush()

    def close(self) -> None:
        """Write out and close the file (a later read or write opens it again)."""
        reader, writer, self._reader, self._writer = self._reader, self._writer, None, None
        if reader is not None:
            reader.close()
        if writer is not None:
            with _tf_errors(self._path()):
                writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class FastGFile(GFile):
    """``tf.gfile.FastGFile``: TF 1.15 deprecates it for :class:`GFile`, which it is in minitf."""


# TF1's spellings (tf.gfile.*); TF 1.15's tf.io.gfile uses the lower-case names above
Copy, DeleteRecursively, Exists, Glob, IsDirectory = copy, rmtree, exists, glob, isdir
ListDirectory, MakeDirs, MkDir, Remove, Rename, Stat = listdir, makedirs, mkdir, remove, rename, stat
Open = GFile

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
