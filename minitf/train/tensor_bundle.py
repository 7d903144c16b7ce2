"""TensorFlow's checkpoint format ("V2", a *tensor bundle*), read and written (notebook 07).

A checkpoint under the prefix ``model.ckpt`` is two kinds of file::

    model.ckpt.index                  a sorted table (see minitf.train.sstable):
                                        ""          -> BundleHeaderProto  (number of shards...)
                                        "layer1/W1" -> BundleEntryProto   (dtype, shape, where)
    model.ckpt.data-00000-of-00001    the values, one tensor after the other, raw

A ``BundleEntryProto`` says in which data file (``shard_id``) a tensor's bytes start
(``offset``), how many there are (``size``) and their masked CRC-32C.  Numbers are stored as
their little-endian bytes; a string tensor as the varint length of every string, a masked
CRC-32C of those lengths, then the strings' bytes.  A *partitioned* variable has an entry with
its full shape and its ``slices``, each slice stored under a key of its own.

The two protocol buffers are so small that we encode them here, field by field, rather than
depend on a package that ships them (TensorBoard does not): the wire format is a sequence of
``(field number << 3 | wire type)`` tags, each followed by a varint, a fixed 32-bit number, or a
length and that many bytes.  TensorFlow omits fields that hold their default (0, empty),
and so do we: our files are byte for byte the ones TensorFlow writes for the same tensors.

Reading never trusts the index: every entry is checked against the dtype's size and the data
file's length *before* anything is allocated, and against its checksum after reading, so a
damaged or crafted checkpoint raises ``DataLossError`` naming the file instead of returning
wrong values or exhausting memory.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Mapping

import numpy as np

from .. import dtypes
from ..crc32c import crc32c, mask, unmask
from ..errors import DataLossError, NotFoundError
from .sstable import read_table, read_varint, varint, write_table

INDEX_SUFFIX = ".index"
VERSION = 1                   # kTensorBundleVersion
DT_STRING = 7

# Field numbers and wire types (tensor_bundle.proto, tensor_shape.proto, tensor_slice.proto).
_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
_FULL = -1  # a slice extent without a length covers the whole dimension


def data_filename(prefix: str, shard: int = 0, num_shards: int = 1) -> str:
    """``<prefix>.data-00000-of-00001``: the data file of one shard."""
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


# ---------------------------------------------------------------------------------------------
# The two protos
# ---------------------------------------------------------------------------------------------

@dataclass
class BundleEntry:
    """A ``BundleEntryProto``: what the index says about one tensor."""

    dtype: int
    shape: list[int]
    shard_id: int = 0
    offset: int = 0
    size: int = 0
    crc32c: int = 0                                   # masked, as stored
    slices: list[list[tuple[int, int]]] = field(default_factory=list)  # (start, length or -1)


def _tag(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


def _int_field(number: int, value: int) -> bytes:
    """A varint field, left out when 0 (proto3); negative numbers take ten bytes."""
    return _tag(number, _VARINT) + varint(value % 2**64) if value else b""


def _message_field(number: int, payload: bytes) -> bytes:
    return _tag(number, _BYTES) + varint(len(payload)) + payload


def _shape_proto(shape: Iterable[int]) -> bytes:
    return b"".join(_message_field(2, _int_field(1, d)) for d in shape)


def encode_entry(entry: BundleEntry) -> bytes:
    """The serialized ``BundleEntryProto``, as TensorFlow's ``SerializeAsString`` writes it."""
    slices = b"".join(
        _message_field(7, b"".join(
            _message_field(1, _int_field(1, start) + (_int_field(2, length) if length != _FULL
                                                      else b""))
            for start, length in extents))
        for extents in entry.slices)
    return (_int_field(1, entry.dtype) + _message_field(2, _shape_proto(entry.shape))
            + _int_field(3, entry.shard_id) + _int_field(4, entry.offset)
            + _int_field(5, entry.size)
            + (_tag(6, _FIXED32) + struct.pack("<I", entry.crc32c) if entry.crc32c else b"")
            + slices)


def encode_header(num_shards: int) -> bytes:
    """The ``BundleHeaderProto``: shards, little-endian (0, left out), version 1."""
    return _int_field(1, num_shards) + _message_field(3, _int_field(1, VERSION))


def _fields(data: bytes) -> dict[int, list[Any]]:
    """A message's fields: number -> values (ints, or bytes for length-delimited fields).
    Unknown fields are kept and ignored by the callers; a malformed message is ``ValueError``."""
    fields: dict[int, list[Any]] = {}
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos, len(data))
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            value, pos = read_varint(data, pos, len(data))
        elif wire_type in (_FIXED64, _FIXED32):
            width = 8 if wire_type == _FIXED64 else 4
            if pos + width > len(data):
                raise ValueError("truncated fixed-size field")
            value = int.from_bytes(data[pos:pos + width], "little")
            pos += width
        elif wire_type == _BYTES:
            length, pos = read_varint(data, pos, len(data))
            if pos + length > len(data):
                raise ValueError("truncated length-delimited field")
            value, pos = data[pos:pos + length], pos + length
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
        fields.setdefault(number, []).append(value)
    return fields


def _signed(value: int) -> int:
    return value - 2**64 if value >= 2**63 else value


def _last(fields: dict[int, list[Any]], number: int, default: Any = 0) -> Any:
    return fields[number][-1] if number in fields else default


def decode_entry(data: bytes) -> BundleEntry:
    """Parse a ``BundleEntryProto`` (``ValueError`` if malformed)."""
    fields = _fields(data)
    shape = [_signed(_last(_fields(dim), 1)) for dim in _fields(_last(fields, 2, b"")).get(2, [])]
    slices = [[(_signed(_last(extent, 1)), _signed(_last(extent, 2, _FULL % 2**64)))
               for extent in map(_fields, _fields(proto).get(1, []))]
              for proto in fields.get(7, [])]
    return BundleEntry(dtype=_last(fields, 1), shape=shape, shard_id=_signed(_last(fields, 3)),
                       offset=_signed(_last(fields, 4)), size=_signed(_last(fields, 5)),
                       crc32c=_last(fields, 6), slices=slices)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def write_data(f: BinaryIO, tensors: Mapping[str, np.ndarray]) -> dict[str, BundleEntry]:
    """Write the tensors (name -> array, in sorted name order, as TF1's Saver does) into the
    open data file ``f``; returns their index entries."""
    entries, offset = {}, 0
    for name in sorted(tensors):
        array = tensors[name]
        if array.dtype == object:
            payload = _string_bytes(array)
            crc = _string_crc(payload, array.size)
        else:
            little_endian = array.astype(array.dtype.newbyteorder("<"), copy=False)
            payload = np.ascontiguousarray(little_endian).reshape(-1).view(np.uint8)
            crc = crc32c(payload)
        f.write(payload)
        entries[name] = BundleEntry(dtype=dtypes.as_dtype(array.dtype).as_datatype_enum,
                                    shape=list(array.shape), offset=offset, size=len(payload),
                                    crc32c=mask(crc))
        offset += len(payload)
    return entries


def _string_bytes(array: np.ndarray) -> bytes:
    """A string tensor on disk: varint lengths, their masked checksum, the bytes."""
    items = [bytes(item) for item in array.ravel()]
    lengths = b"".join(varint(len(item)) for item in items)
    length_crc = _lengths_crc(len(item) for item in items)
    return lengths + struct.pack("<I", mask(length_crc)) + b"".join(items)


def _lengths_crc(lengths: Iterable[int]) -> int:
    """The checksum of string lengths: each as a little-endian uint32 (uint64 if larger)."""
    crc = 0
    for n in lengths:
        crc = crc32c(struct.pack("<I" if n <= 0xFFFFFFFF else "<Q", n), crc)
    return crc


def _string_crc(payload: bytes, count: int) -> int:
    """The checksum TF stores for a string tensor: lengths (as numbers), their checksum, bytes."""
    lengths, pos = [], 0
    for _ in range(count):
        n, pos = read_varint(payload, pos, len(payload))
        lengths.append(n)
    return crc32c(payload[pos:], _lengths_crc(lengths))


def index_file(entries: Mapping[str, BundleEntry], num_shards: int = 1) -> bytes:
    """The ``.index`` file's bytes: the header under the empty key, then every entry."""
    items = [(b"", encode_header(num_shards))]
    items += [(name.encode("utf-8", "surrogateescape"), encode_entry(entries[name]))
              for name in sorted(entries)]
    return write_table(sorted(items))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

def checkpoint_not_found(prefix: str) -> NotFoundError:
    """TF's error for a checkpoint prefix without an index file."""
    return NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find "
                                     f"any matching files for {prefix}")


class BundleReader:
    """The table of contents of a checkpoint, and its tensors read one at a time on demand.

    Opening reads and checks the ``.index`` file only; :meth:`read` reads one tensor's bytes
    from its data file, after checking that the index's size fits the dtype, the shape and the
    file.  ``DataLossError`` (naming the file) for a damaged checkpoint, ``NotFoundError`` for a
    missing one or an unknown name.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._index_path = prefix + INDEX_SUFFIX
        try:
            with open(self._index_path, "rb") as f:
                table = read_table(f.read(), self._index_path)
        except (FileNotFoundError, NotADirectoryError):
            raise checkpoint_not_found(prefix) from None
        if not table or table[0][0] != b"":
            raise self._corrupt("failed to seek to header entry")
        try:
            header = _fields(table[0][1])
            self.entries = {key.decode("utf-8", "surrogateescape"): decode_entry(value)
                            for key, value in table[1:]}
        except ValueError as error:
            raise self._corrupt(f"unable to parse an entry: {error}") from None
        self.num_shards = _last(header, 1)
        self._byte_order = ">" if _last(header, 2) == 1 else "<"
        version = _fields(_last(header, 3, b""))
        if _last(version, 2) > VERSION or VERSION in version.get(3, []):
            raise self._corrupt(f"the checkpoint needs a newer reader (version {version})")

    def _corrupt(self, detail: str, path: str | None = None) -> DataLossError:
        return DataLossError(None, None, f"Unable to read file ({path or self._index_path}). "
                                         f"Perhaps the file is corrupt or was produced by a newer "
                                         f"version of TensorFlow with format changes ({detail})")

    def tensor_names(self) -> list[str]:
        """The names of the tensors, sorted (slices of partitioned tensors are not names)."""
        return [name for name in self.entries if not name.startswith("\0")]

    def dtype(self, name: str) -> dtypes.DType:
        entry = self._entry(name)
        try:
            dtype = dtypes.as_dtype(entry.dtype)
        except TypeError:
            dtype = None
        if dtype is None or dtype.is_ref_dtype:
            raise self._corrupt(f"tensor {name!r} has the dtype number {entry.dtype}, which "
                                f"minitf does not support")
        return dtype

    def shape(self, name: str) -> list[int]:
        return list(self._entry(name).shape)

    def _entry(self, name: str) -> BundleEntry:
        try:
            return self.entries[name]
        except KeyError:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint") from None

    def read(self, name: str) -> np.ndarray:
        """The tensor ``name``: a numpy array (strings: an object array of ``bytes``)."""
        entry = self._entry(name)
        dtype = self.dtype(name)
        if any(d < 0 for d in entry.shape):
            raise self._corrupt(f"invalid tensor shape {entry.shape} for {name!r}")
        if entry.slices:
            return self._read_slices(name, entry, dtype)
        return self._read_entry(name, entry, dtype)

    def _read_entry(self, name: str, entry: BundleEntry, dtype: dtypes.DType) -> np.ndarray:
        count = int(np.prod(entry.shape, dtype=object))
        if dtype.base_dtype == dtypes.string:
            if count and entry.size < count + 4:  # a varint length per string, a checksum
                raise self._corrupt(f"invalid size in bundle entry: key {name}; stored size "
                                    f"{entry.size}; expected size is at least {count + 4}")
        elif entry.size != count * dtype.size:
            raise self._corrupt(f"invalid size in bundle entry: key {name}; stored size "
                                f"{entry.size}; expected size {count * dtype.size}")
        payload = self._read_bytes(name, entry)
        if dtype.base_dtype == dtypes.string:
            return self._decode_strings(name, entry, payload, count)
        if crc32c(payload) != unmask(entry.crc32c):
            raise self._checksum_error(name, entry)
        numpy_dtype = np.dtype(dtype.as_numpy_dtype).newbyteorder(self._byte_order)
        return np.frombuffer(payload, numpy_dtype).astype(dtype.as_numpy_dtype).reshape(entry.shape)

    def _read_bytes(self, name: str, entry: BundleEntry) -> bytearray:
        """The ``entry.size`` bytes at ``entry.offset`` of its shard, checked to be there first."""
        if not 0 <= entry.shard_id < max(self.num_shards, 1) or entry.offset < 0:
            raise self._corrupt(f"entry {name!r} names shard {entry.shard_id} at offset "
                                f"{entry.offset} of a checkpoint with {self.num_shards} shard(s)")
        path = data_filename(self.prefix, entry.shard_id, self.num_shards)
        try:
            with open(path, "rb") as f:
                file_size = os.fstat(f.fileno()).st_size
                if entry.offset + entry.size > file_size:
                    raise self._corrupt(f"{name!r} needs bytes {entry.offset}..{entry.offset + entry.size}"
                                        f" but the file holds {file_size}: it is truncated", path)
                f.seek(entry.offset)
                payload = bytearray(entry.size)
                f.readinto(payload)
        except FileNotFoundError:
            raise self._corrupt(f"the data file {path} is missing", path) from None
        return payload

    def _checksum_error(self, name: str, entry: BundleEntry) -> DataLossError:
        path = data_filename(self.prefix, entry.shard_id, self.num_shards)
        return self._corrupt(f"checksum does not match for {name!r} ({entry.size} bytes at offset "
                             f"{entry.offset}): the data file is damaged", path)

    def _decode_strings(self, name: str, entry: BundleEntry, payload: bytearray,
                        count: int) -> np.ndarray:
        flat = np.empty(count, dtype=object)
        if count:
            try:
                lengths, pos = [], 0
                for _ in range(count):
                    n, pos = read_varint(payload, pos, len(payload))
                    lengths.append(n)
            except ValueError:
                raise self._checksum_error(name, entry) from None
            if pos + 4 + sum(lengths) != len(payload):
                raise self._checksum_error(name, entry)
            (length_crc,) = struct.unpack("<I", payload[pos:pos + 4])
            if unmask(length_crc) != _lengths_crc(lengths) or \
                    crc32c(payload[pos:], _lengths_crc(lengths)) != unmask(entry.crc32c):
                raise self._checksum_error(name, entry)
            pos += 4
            for i, n in enumerate(lengths):
                flat[i] = bytes(payload[pos:pos + n])
                pos += n
        return flat.reshape(entry.shape)

    def _read_slices(self, name: str, entry: BundleEntry, dtype: dtypes.DType) -> np.ndarray:
        """A partitioned tensor, put together from its slices (each stored as a tensor)."""
        pieces = []
        for extents in entry.slices:
            if len(extents) != len(entry.shape):
                raise self._corrupt(f"a slice of {name!r} has rank {len(extents)}, not "
                                    f"{len(entry.shape)}")
            index = tuple(slice(start, None if length == _FULL else start + length)
                          for start, length in extents)
            pieces.append((index, self._entry(slice_key(name, extents))))
        covered = sum(int(np.prod(piece.shape, dtype=object)) for _, piece in pieces)
        if covered < int(np.prod(entry.shape, dtype=object)):
            raise self._corrupt(f"the slices of {name!r} do not cover its shape {entry.shape}")
        result = np.empty(entry.shape, dtype=dtype.as_numpy_dtype)
        for index, piece in pieces:
            value = self._read_entry(name, piece, dtype)
            if result[index].shape != value.shape:
                raise self._corrupt(f"a slice of {name!r} does not fit its place {index}")
            result[index] = value
        return result


# ---------------------------------------------------------------------------------------------
# The keys of slices: TF's OrderedCode encoding (core/lib/strings/ordered_code.cc)
# ---------------------------------------------------------------------------------------------

_ESCAPES = {0x00: b"\x00\xff", 0xFF: b"\xff\x00"}
_HEADER_BITS = [(0, 0), (0x80, 0), (0xC0, 0), (0xE0, 0), (0xF0, 0), (0xF8, 0), (0xFC, 0),
                (0xFE, 0), (0xFF, 0), (0xFF, 0x80), (0xFF, 0xC0)]


def _ordered_signed(value: int) -> bytes:
    """``OrderedCode::WriteSignedNumIncreasing``: sortable bytes of a signed 64-bit number."""
    magnitude = ~value if value < 0 else value
    if magnitude < 64:
        return bytes([(0x80 ^ value) & 0xFF])
    length = magnitude.bit_length() // 7 + 1
    encoded = bytearray((value % 2**80).to_bytes(10, "big")[10 - length:])
    encoded[0] ^= _HEADER_BITS[length][0]
    encoded[1] ^= _HEADER_BITS[length][1]
    return bytes(encoded)


def _ordered_unsigned(value: int) -> bytes:
    """``OrderedCode::WriteNumIncreasing``: a length byte, then the big-endian bytes."""
    payload = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return bytes([len(payload)]) + payload


def slice_key(name: str, extents: list[tuple[int, int]]) -> str:
    """The key a slice of tensor ``name`` is stored under (``EncodeTensorNameSlice``)."""
    escaped = b"".join(_ESCAPES.get(byte, bytes([byte]))
                       for byte in name.encode("utf-8", "surrogateescape"))
    key = _ordered_unsigned(0) + escaped + b"\x00\x01" + _ordered_unsigned(len(extents))
    for start, length in extents:
        key += _ordered_signed(start) + _ordered_signed(length)
    return key.decode("utf-8", "surrogateescape")
