"""Checkpoints in the format earlier versions of minitf wrote: read, so nothing saved is lost.

Before minitf wrote TensorFlow's own format, its ``.index`` was JSON and its ``.data`` a zip of
``.npy`` files (as ``numpy.savez`` writes them)::

    {"format": "minitf checkpoint", "version": 1, "data_sha256": "9f2c...",
     "tensors": {"v1": {"key": "t0", "dtype": "float32", "shape": [3]},
                 "name": {"key": "t1", "dtype": "string", "shape": []}}}

A tensor is stored in the zip under its ``key``; a string tensor as a fixed-width ``S`` array
``<key>`` and an int64 array ``<key>_lengths`` of the exact lengths.  ``data_sha256`` ties the
data file to its index.  Reading checks the hash, then reads each ``.npy`` header itself and
refuses what ``numpy.load`` would trust: a pickled (object) array, a compressed member, or a
shape the member's stored bytes cannot hold -- before allocating anything.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from typing import Any

import numpy as np

from .. import dtypes
from ..errors import DataLossError, NotFoundError
from .tensor_bundle import INDEX_SUFFIX, data_filename

FORMAT_NAME = "minitf checkpoint"
FORMAT_VERSION = 1
STRING_DTYPE = "string"


def is_legacy_index(start: bytes) -> bool:
    """True if an index file starting with ``start`` is a JSON (legacy minitf) index."""
    return start[:1] == b"{"


class LegacyReader:
    """Reads a legacy minitf checkpoint; the same face as ``tensor_bundle.BundleReader``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._index_path = prefix + INDEX_SUFFIX
        self._data_path = data_filename(prefix)
        try:
            with open(self._index_path, "rb") as f:
                index = json.loads(f.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise self._corrupt(f"not a minitf checkpoint index: {error}") from None
        if not (isinstance(index, dict) and index.get("format") == FORMAT_NAME
                and index.get("version") == FORMAT_VERSION
                and isinstance(index.get("tensors"), dict)):
            raise self._corrupt(f"not a version-{FORMAT_VERSION} minitf checkpoint index")
        self._entries: dict[str, dict[str, Any]] = index["tensors"]
        self._sha256 = index.get("data_sha256")
        self._verified = False

    def _corrupt(self, detail: str, path: str | None = None) -> DataLossError:
        return DataLossError(None, None, f"Unable to read file ({path or self._index_path}): "
                                         f"{detail}")

    def tensor_names(self) -> list[str]:
        return sorted(self._entries)

    def _entry(self, name: str) -> dict[str, Any]:
        try:
            return self._entries[name]
        except KeyError:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint") from None

    def dtype(self, name: str) -> dtypes.DType:
        kind = self._entry(name).get("dtype")
        try:
            return dtypes.string if kind == STRING_DTYPE else dtypes.as_dtype(kind)
        except TypeError:
            raise self._corrupt(f"tensor {name!r} has the unknown dtype {kind!r}") from None

    def shape(self, name: str) -> list[int]:
        shape = self._entry(name).get("shape")
        if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
            raise self._corrupt(f"tensor {name!r} has the invalid shape {shape!r}")
        return shape

    def read(self, name: str) -> np.ndarray:
        entry, dtype, shape = self._entry(name), self.dtype(name), self.shape(name)
        self._verify_data_file()
        key = str(entry.get("key"))
        with zipfile.ZipFile(self._data_path) as archive:
            if dtype == dtypes.string:
                strings = self._member(archive, key)
                lengths = self._member(archive, key + "_lengths")
                if strings.dtype.kind != "S" or lengths.shape != strings.shape:
                    raise self._corrupt(f"string tensor {name!r} is not stored as strings and "
                                        "their lengths", self._data_path)
                value = _decode_strings(strings, lengths)
            else:
                value = self._member(archive, key)
        if list(value.shape) != shape or (dtype != dtypes.string and value.dtype != dtype):
            raise self._corrupt(f"{name!r} does not match its index entry {entry}",
                                self._data_path)
        return value

    def _verify_data_file(self) -> None:
        """Check (once) that the data file is the one the index was written with."""
        if self._verified:
            return
        digest = hashlib.sha256()
        try:
            with open(self._data_path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            raise self._corrupt(f"checkpoint {self.prefix!r} is incomplete: "
                                f"{self._data_path} is missing", self._data_path) from None
        if digest.hexdigest() != self._sha256:
            raise self._corrupt(f"{self._data_path} does not belong to {self._index_path} (content "
                                "hash differs): the checkpoint was damaged or partly overwritten",
                                self._data_path)
        self._verified = True

    def _member(self, archive: zipfile.ZipFile, key: str) -> np.ndarray:
        """One ``.npy`` member, its header checked against its stored size before reading."""
        try:
            info = archive.getinfo(key + ".npy")
        except KeyError:
            raise self._corrupt(f"it holds no array {key!r}", self._data_path) from None
        if info.compress_type != zipfile.ZIP_STORED:
            raise self._corrupt(f"array {key!r} is compressed; minitf never wrote that",
                                self._data_path)
        with archive.open(info) as f:
            try:
                version = np.lib.format.read_magic(f)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, fortran_order, dtype = read_header(f)
            except ValueError as error:
                raise self._corrupt(f"array {key!r} has a bad header: {error}",
                                    self._data_path) from None
            if dtype.hasobject:
                raise self._corrupt(f"array {key!r} holds Python objects; they would have to be "
                                    "unpickled, and minitf never unpickles", self._data_path)
            size = int(np.prod(shape, dtype=object)) * dtype.itemsize
            if size != info.file_size - f.tell():
                raise self._corrupt(f"array {key!r} claims shape {shape} ({size} bytes) but "
                                    f"stores {info.file_size - f.tell()} bytes", self._data_path)
            data = f.read(size)
        order = "F" if fortran_order else "C"
        return np.frombuffer(data, dtype).reshape(shape, order=order).copy()


def _decode_strings(strings: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The fixed-width ``S`` array cut to the exact lengths: an object array of ``bytes``."""
    rows = strings.reshape(-1).view(np.uint8).reshape(-1, strings.dtype.itemsize)
    result = np.empty(rows.shape[0], dtype=object)
    result[:] = [row[:n].tobytes() for row, n in zip(rows, lengths.reshape(-1))]
    return result.reshape(strings.shape)
