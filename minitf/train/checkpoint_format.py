"""Checkpoint files: what ``tf.train.Saver`` writes and reads (notebook 07).

``saver.save(sess, "model/dnn.ckpt", global_step=4)`` stores the variables under the *prefix*
``model/dnn.ckpt-4``, in TensorFlow's own format, and records the latest prefixes in a text file
``model/checkpoint``::

    model/dnn.ckpt-4.index                 what the checkpoint holds: name -> dtype, shape, where
    model/dnn.ckpt-4.data-00000-of-00001   the values, raw bytes one tensor after the other
    model/dnn.ckpt-4.meta                  the graph (a serialized MetaGraphDef), if given
    model/checkpoint                       model_checkpoint_path: "dnn.ckpt-4" ... (TF1's text)

The ``.index``/``.data`` format is in :mod:`minitf.train.tensor_bundle`: real TensorFlow restores
what minitf saves, and minitf what TensorFlow saved (sharded checkpoints and partitioned
variables included).  Checkpoints that earlier versions of minitf wrote (a JSON index and a zip
of ``.npy`` files) are still read, by :mod:`minitf.train.legacy_checkpoint`.

Safety: nothing is ever pickled, and a reader checks every size in the index against the dtype
and the file before it allocates anything, and every tensor against its checksum.  Writes are
atomic: each file is written under a temporary name in the same directory, synced to disk, then
renamed into place -- data and meta first, the index last, because the index is what makes a
checkpoint exist.  If anything fails, the temporary files are removed and the checkpoints
already on disk are left as they were; the temporary files of a save that was killed outright
(no ``except`` runs then) are removed by the next save in that directory.
"""
from __future__ import annotations

import os
import re
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Mapping, Protocol

import numpy as np

from .. import dtypes
from .legacy_checkpoint import LegacyReader, is_legacy_index
from .tensor_bundle import INDEX_SUFFIX, BundleReader, checkpoint_not_found, index_file, write_data

DATA_SUFFIX = ".data-00000-of-00001"
META_SUFFIX = ".meta"
STATE_FILENAME = "checkpoint"


# ---------------------------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------------------------

_HOST = re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())
_TEMP_NAME = re.compile(r"\..+\.tmp-(?P<host>[A-Za-z0-9_-]+)-(?P<pid>\d+)-[0-9a-f]{8}")


class _StagedFiles:
    """Write files under temporary names, then rename them into place, in the order staged.

    Used as ``with _StagedFiles(directory) as staged: staged.write(...); staged.commit()``.
    Leaving the ``with`` block without ``commit()`` (an exception) removes the temporary files.
    """

    def __init__(self, directory: str) -> None:
        self._directory = directory
        self._pending: list[tuple[str, str]] = []  # (temporary path, final path)
        remove_stale_temporary_files(directory)

    def write(self, final_path: str, write: Callable[[BinaryIO], Any]) -> str:
        """Call ``write(file)`` on a new temporary file, sync it, and return its path.

        The name is hidden (leading dot) and says which process on which machine writes it,
        so a later save can tell a killed save's leftovers from a running one's;
        ``open(..., "x")`` never reuses a file.
        """
        name = (f".{os.path.basename(final_path)}.tmp-{_HOST}-{os.getpid()}-"
                f"{secrets.token_hex(4)}")
        temp_path = os.path.join(self._directory, name)
        with open(temp_path, "xb") as f:
            self._pending.append((temp_path, final_path))
            write(f)
            f.flush()
            os.fsync(f.fileno())
        return temp_path

    def commit(self) -> None:
        """Rename every staged file into place, in order, then sync the directory entries."""
        while self._pending:
            temp_path, final_path = self._pending[0]
            os.replace(temp_path, final_path)
            self._pending.pop(0)
        if os.name == "posix":  # make the renames themselves durable
            fd = os.open(self._directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> _StagedFiles:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        for temp_path, _ in self._pending:
            try:
                os.remove(temp_path)
            except FileNotFoundError:
                pass


def remove_stale_temporary_files(directory: str) -> list[str]:
    """Remove the temporary files that saves killed in ``directory`` left; returns their names.

    A file is stale when the process that wrote it, on this machine, is gone.  Files of running
    saves, and of other machines sharing the directory, are left alone.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match and match["host"] == _HOST and not _process_exists(int(match["pid"])):
            try:
                os.remove(os.path.join(directory, name))
                removed.append(name)
            except OSError:
                pass
    return removed


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no harmless way to ask there: keep the file
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _directory_of(path: str) -> str:
    return os.path.dirname(path) or "."


# ---------------------------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------------------------

class CheckpointReader(Protocol):
    """What both formats' readers offer (see :class:`~minitf.train.tensor_bundle.BundleReader`)."""

    prefix: str

    def tensor_names(self) -> list[str]: ...
    def dtype(self, name: str) -> dtypes.DType: ...
    def shape(self, name: str) -> list[int]: ...
    def read(self, name: str) -> np.ndarray: ...


def _storable(name: str, value: Any) -> np.ndarray:
    """``value`` as an array a checkpoint stores: numbers and bools as they are, strings as an
    object array of ``bytes``."""
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        flat = np.empty(array.size, dtype=object)
        flat[:] = [item.encode("utf-8") if isinstance(item, str) else bytes(item)
                   for item in array.ravel()]
        return flat.reshape(array.shape)
    try:
        dtypes.as_dtype(array.dtype)
    except TypeError:
        raise TypeError(f"cannot save {name!r}: "
                        f"dtype {array.dtype} is not a number, bool or string type") from None
    return array


def write_checkpoint(prefix: str, tensors: Mapping[str, Any],
                     meta_graph: bytes | None = None) -> None:
    """Save ``tensors`` (name -> array) as the checkpoint ``prefix``, atomically, in TensorFlow's
    format.

    Writes ``<prefix>.data-00000-of-00001``, ``<prefix>.meta`` (if ``meta_graph`` is given) and
    ``<prefix>.index``, creating missing directories.  Values may be numbers, bools or strings
    (``bytes``/``str``) of any shape.
    """
    arrays = {name: _storable(name, value) for name, value in tensors.items()}
    directory = _directory_of(prefix)
    os.makedirs(directory, exist_ok=True)
    entries = {}
    with _StagedFiles(directory) as staged:
        staged.write(prefix + DATA_SUFFIX, lambda f: entries.update(write_data(f, arrays)))
        if meta_graph is not None:
            staged.write(prefix + META_SUFFIX, lambda f: f.write(bytes(meta_graph)))
        staged.write(prefix + INDEX_SUFFIX, lambda f: f.write(index_file(entries)))
        staged.commit()
    for stale in _data_files(prefix):  # the shards of a checkpoint saved here before, if any
        if not stale.endswith(DATA_SUFFIX):
            os.remove(stale)


def open_checkpoint(prefix: str) -> CheckpointReader:
    """A reader of the checkpoint ``prefix`` in either format; it has read only the index.

    Raises ``NotFoundError`` if there is no such checkpoint and ``DataLossError`` (naming the
    file) if its index is damaged.
    """
    try:
        with open(prefix + INDEX_SUFFIX, "rb") as f:
            start = f.read(1)
    except (FileNotFoundError, NotADirectoryError):
        raise checkpoint_not_found(prefix) from None
    return LegacyReader(prefix) if is_legacy_index(start) else BundleReader(prefix)


def read_checkpoint(prefix: str) -> dict[str, np.ndarray]:
    """Every tensor of the checkpoint ``prefix``: name -> array (strings as object arrays of
    ``bytes``)."""
    reader = open_checkpoint(prefix)
    return {name: reader.read(name) for name in reader.tensor_names()}


def checkpoint_exists(prefix: str) -> bool:
    """True if a checkpoint was written under ``prefix`` (its index file exists)."""
    return os.path.isfile(prefix + INDEX_SUFFIX)


def _data_files(prefix: str) -> list[str]:
    """The data files of the checkpoint ``prefix``, whatever its number of shards."""
    directory, base = _directory_of(prefix), os.path.basename(prefix)
    pattern = re.compile(re.escape(base) + r"\.data-\d{5}-of-\d{5}")
    try:
        return [os.path.join(directory, name) for name in os.listdir(directory)
                if pattern.fullmatch(name)]
    except OSError:
        return []


def remove_checkpoint(prefix: str) -> None:
    """Delete the checkpoint ``prefix`` (as ``Saver(max_to_keep=...)`` does with old ones).

    The index goes first, so an interrupted removal leaves no half checkpoint that looks whole.
    """
    for path in [prefix + INDEX_SUFFIX, *_data_files(prefix), prefix + META_SUFFIX]:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------------------------------------
# The `checkpoint` state file
# ---------------------------------------------------------------------------------------------

_ESCAPES = {"\n": r"\n", "\r": r"\r", "\t": r"\t", '"': r"\"", "'": r"\'", "\\": r"\\"}
_UNESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b'"': b'"', b"'": b"'", b"\\": b"\\"}
_ESCAPE_SEQUENCE = re.compile(rb"\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)")
_STATE_LINE = re.compile(r'\s*(\w+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*')


def _c_escape(text: str) -> str:
    """Quote a string as protobuf's text format does: C escapes, octal for non-ASCII bytes."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(_ESCAPES.get(char) or (char if 0x20 <= byte < 0x7F else f"\\{byte:03o}"))
    return "".join(out)


def _c_unescape(text: str) -> str:
    """The inverse of :func:`_c_escape`."""
    def replace(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1] == b"x":
            return bytes([int(code[1:], 16)])
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _UNESCAPES.get(code, code)
    return _ESCAPE_SEQUENCE.sub(replace, text.encode("utf-8")).decode("utf-8", errors="replace")


@dataclass
class CheckpointState:
    """The content of a ``checkpoint`` file: the latest prefix and all those kept."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        """TF1's text format, as written to the ``checkpoint`` file."""
        lines = [f'model_checkpoint_path: "{_c_escape(self.model_checkpoint_path)}"']
        lines += [f'all_model_checkpoint_paths: "{_c_escape(path)}"'
                  for path in self.all_model_checkpoint_paths]
        return "".join(line + "\n" for line in lines)


def _relative_to(path: str, directory: str) -> str:
    return path if os.path.isabs(path) else os.path.relpath(path, directory)


def update_checkpoint_state(save_dir: str, model_checkpoint_path: str,
                            all_model_checkpoint_paths: list[str] | None = None,
                            latest_filename: str | None = None) -> None:
    """Write ``<save_dir>/checkpoint`` (or ``latest_filename``) naming the latest checkpoint and all
    those kept, atomically.

    As in TF1: the latest path is appended to the list if it is not its last entry, and when
    ``save_dir`` is relative (``os.path.dirname`` of the prefix, as ``Saver.save`` passes it),
    relative paths are stored relative to it (``./model/dnn.ckpt-4`` -> ``dnn.ckpt-4``), so the
    directory can be moved; absolute paths stay absolute.
    """
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if not os.path.isabs(save_dir):
        model_checkpoint_path = _relative_to(model_checkpoint_path, save_dir)
        paths = [_relative_to(p, save_dir) for p in paths]
    text = str(CheckpointState(model_checkpoint_path, paths)).encode("utf-8")
    state_path = os.path.join(save_dir, latest_filename or STATE_FILENAME)
    with _StagedFiles(_directory_of(state_path)) as staged:
        staged.write(state_path, lambda f: f.write(text))
        staged.commit()


def _parse_state(text: str) -> CheckpointState | None:
    """Parse a ``checkpoint`` file; ``None`` if it is not in the text format.

    Fields other than the two paths (e.g. the timestamps TF2 adds) are skipped.
    """
    state = CheckpointState("")
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _STATE_LINE.fullmatch(line)
        if match is None:
            return None
        key, quoted = match.group(1), match.group(2)
        if key == "model_checkpoint_path" and quoted is not None:
            state.model_checkpoint_path = _c_unescape(quoted)
        elif key == "all_model_checkpoint_paths" and quoted is not None:
            state.all_model_checkpoint_paths.append(_c_unescape(quoted))
    return state


def get_checkpoint_state(checkpoint_dir: str,
                         latest_filename: str | None = None) -> CheckpointState | None:
    """Read ``<checkpoint_dir>/checkpoint`` (or ``latest_filename``); ``None`` if it is missing.

    Relative paths are joined to ``checkpoint_dir`` as given, so a checkpoint saved as
    ``./model/dnn.ckpt-4`` reads back as ``./model/dnn.ckpt-4`` from
    ``get_checkpoint_state('./model')``; absolute paths stay as they are.
    """
    try:
        with open(os.path.join(checkpoint_dir, latest_filename or STATE_FILENAME),
                  encoding="utf-8") as f:
            state = _parse_state(f.read())
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    if state is None:
        return None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")
    state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [os.path.join(checkpoint_dir, path)
                                        for path in state.all_model_checkpoint_paths]
    return state


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """The prefix of the latest checkpoint in ``checkpoint_dir``, or ``None`` if there is none."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not checkpoint_exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path
