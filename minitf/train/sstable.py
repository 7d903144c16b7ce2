"""The sorted string table of a checkpoint's ``.index`` file, byte for byte as TensorFlow writes it.

TensorFlow keeps a checkpoint's table of contents in LevelDB's *table* format (TF's
``core/lib/io/table``): a sorted list of ``key -> value`` pairs, cut into blocks::

    data block 0 | data block 1 | ... | metaindex block | index block | footer (48 bytes)

- A **block** stores its entries one after the other; each key is written as the number of
  bytes it shares with the key before, the rest of the key, and the value
  (``varint shared, varint unshared, varint value length, key[shared:], value``).  Every 16th
  entry, a *restart point*, shares nothing, so a reader can start there; the block ends with the
  offsets of its restart points (``uint32`` each) and their count.  Each block on disk is followed
  by a type byte (0: stored as is, 1: snappy-compressed) and the masked CRC-32C of block + type.
- A data block is closed when it reaches 256 KiB.  The **index block** has one entry per data
  block: a key between that block's last key and the next block's first, and the block's
  *handle* (``varint offset, varint size``).  The metaindex block is empty.
- The **footer** holds the handles of the metaindex and index blocks, zero padding up to 40
  bytes, and the magic number ``0xdb4775248b80fb57``.

:func:`write_table` makes the exact bytes TensorFlow's ``TableBuilder`` makes for the same
entries; :func:`read_table` reads any such file and raises ``DataLossError`` naming the file for
anything a writer cannot have produced (bad magic, a checksum that does not match, a handle or an
entry that points outside its block, keys out of order).
"""
from __future__ import annotations

import struct
from typing import Iterable

from ..crc32c import masked_crc32c
from ..errors import DataLossError

BLOCK_SIZE = 262144           # table::Options::block_size
RESTART_INTERVAL = 16         # table::Options::block_restart_interval (the index block uses 1)
MAGIC = 0xDB4775248B80FB57    # kTableMagicNumber
FOOTER_SIZE = 48              # 2 * BlockHandle::kMaxEncodedLength + 8
TRAILER_SIZE = 5              # type byte + masked CRC-32C
NO_COMPRESSION, SNAPPY_COMPRESSION = 0, 1


def varint(value: int) -> bytes:
    """``value`` (0 <= value < 2**64) as a little-endian base-128 varint."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(data: bytes, pos: int, limit: int, bits: int = 64) -> tuple[int, int]:
    """The varint at ``data[pos:limit]`` and the position after it; ``ValueError`` if it is cut
    off or longer than a ``bits``-bit number allows."""
    result = shift = 0
    while pos < limit and shift < bits:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise ValueError("truncated or overlong varint")


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

class _BlockBuilder:
    """Entries with shared key prefixes and restart points (TF's ``BlockBuilder``)."""

    def __init__(self, restart_interval: int) -> None:
        self._interval = restart_interval
        self.buffer = bytearray()
        self._restarts = [0]
        self._counter = 0
        self._last_key = b""

    def empty(self) -> bool:
        return not self.buffer

    def size_estimate(self) -> int:
        return len(self.buffer) + 4 * len(self._restarts) + 4

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self._counter < self._interval:
            limit = min(len(key), len(self._last_key))
            while shared < limit and key[shared] == self._last_key[shared]:
                shared += 1
        else:
            self._restarts.append(len(self.buffer))
            self._counter = 0
        self.buffer += varint(shared) + varint(len(key) - shared) + varint(len(value))
        self.buffer += key[shared:] + value
        self._last_key = key
        self._counter += 1

    def finish(self) -> bytes:
        """The block's bytes (with its restart array); the builder is then empty again."""
        block = bytes(self.buffer) + b"".join(struct.pack("<I", r) for r in self._restarts)
        block += struct.pack("<I", len(self._restarts))
        self.__init__(self._interval)
        return block


def _shortest_separator(start: bytes, limit: bytes) -> bytes:
    """A short key ``k`` with ``start <= k < limit`` (TF's ``FindShortestSeparator``)."""
    common = 0
    while common < min(len(start), len(limit)) and start[common] == limit[common]:
        common += 1
    if common < min(len(start), len(limit)):
        byte = start[common]
        if byte < 0xFF and byte + 1 < limit[common]:
            return start[:common] + bytes([byte + 1])
    return start


def _short_successor(key: bytes) -> bytes:
    """A short key ``>= key`` (TF's ``FindShortSuccessor``)."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def write_table(entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The table file holding ``entries`` (``(key, value)`` pairs in strictly increasing key
    order), exactly as TensorFlow's ``TableBuilder`` writes it uncompressed."""
    out = bytearray()
    data_block, index_block = _BlockBuilder(RESTART_INTERVAL), _BlockBuilder(1)
    pending: bytes | None = None   # the handle of the last data block, waiting for its index key
    last_key: bytes | None = None

    def write_block(block: _BlockBuilder) -> bytes:
        contents = block.finish() + bytes([NO_COMPRESSION])
        handle = varint(len(out)) + varint(len(contents) - 1)
        out.extend(contents + struct.pack("<I", masked_crc32c(contents)))
        return handle

    for key, value in entries:
        if last_key is not None:
            if key <= last_key:
                raise ValueError(f"table keys must increase: {key!r} after {last_key!r}")
            if len(key) + len(value) >= 2 * BLOCK_SIZE and not data_block.empty():
                pending = write_block(data_block)
        if pending is not None:
            index_block.add(_shortest_separator(last_key, key), pending)
            pending = None
        last_key = key
        data_block.add(key, value)
        if data_block.size_estimate() >= BLOCK_SIZE:
            pending = write_block(data_block)
    if not data_block.empty():
        pending = write_block(data_block)
    metaindex_handle = write_block(_BlockBuilder(RESTART_INTERVAL))
    if pending is not None:
        index_block.add(_short_successor(last_key), pending)
    index_handle = write_block(index_block)
    footer = (metaindex_handle + index_handle).ljust(FOOTER_SIZE - 8, b"\0")
    out += footer + struct.pack("<Q", MAGIC)
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

def read_table(data: bytes, filename: str) -> list[tuple[bytes, bytes]]:
    """All ``(key, value)`` entries of the table file ``data`` (read from ``filename``), in order.
    """
    def corrupt(detail: str) -> DataLossError:
        return DataLossError(None, None, f"Unable to read file ({filename}). Perhaps the file is "
                                         f"corrupt or was produced by a newer version of "
                                         f"TensorFlow with format changes ({detail})")

    if len(data) < FOOTER_SIZE:
        raise corrupt(f"file too short ({len(data)} bytes) to be an sstable")
    footer = data[-FOOTER_SIZE:]
    if struct.unpack("<Q", footer[-8:])[0] != MAGIC:
        raise corrupt("not an sstable (bad magic number)")
    try:
        _, pos = _read_handle(footer, 0)  # the metaindex block: always empty, unused
        index_handle, _ = _read_handle(footer, pos)
        index = _read_block(data, index_handle, len(data) - FOOTER_SIZE)
        entries = []
        for _, handle in _block_entries(index):
            entries += _block_entries(_read_block(data, _read_handle(handle, 0)[0],
                                                  len(data) - FOOTER_SIZE))
    except ValueError as error:
        raise corrupt(str(error)) from None
    for (before, _), (after, _) in zip(entries, entries[1:]):
        if after <= before:
            raise corrupt(f"keys out of order: {after!r} after {before!r}")
    return entries


def _read_handle(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    offset, pos = read_varint(data, pos, len(data))
    size, pos = read_varint(data, pos, len(data))
    return (offset, size), pos


def _read_block(data: bytes, handle: tuple[int, int], limit: int) -> bytes:
    """The contents of the block at ``handle``, its checksum verified."""
    offset, size = handle
    if offset + size + TRAILER_SIZE > limit:
        raise ValueError(f"block handle ({offset}, {size}) points past the end of the file")
    contents = data[offset:offset + size + 1]
    (stored,) = struct.unpack("<I", data[offset + size + 1:offset + size + TRAILER_SIZE])
    if masked_crc32c(contents) != stored:
        raise ValueError(f"block checksum mismatch at offset {offset}")
    if contents[-1] == SNAPPY_COMPRESSION:
        raise ValueError("a snappy-compressed block; TensorFlow writes checkpoint indexes "
                         "uncompressed, and minitf reads only those")
    if contents[-1] != NO_COMPRESSION:
        raise ValueError(f"bad block type {contents[-1]}")
    return contents[:-1]


def _block_entries(block: bytes) -> list[tuple[bytes, bytes]]:
    """The ``(key, value)`` entries of one block (TF's ``Block::Iter``, start to end)."""
    if len(block) < 4:
        raise ValueError("bad block contents")
    (num_restarts,) = struct.unpack("<I", block[-4:])
    if num_restarts > (len(block) - 4) // 4:
        raise ValueError("bad block contents: too many restart points")
    limit = len(block) - 4 * (num_restarts + 1)
    entries, key, pos = [], b"", 0
    while pos < limit:
        shared, pos = read_varint(block, pos, limit, 32)
        unshared, pos = read_varint(block, pos, limit, 32)
        value_length, pos = read_varint(block, pos, limit, 32)
        if shared > len(key) or pos + unshared + value_length > limit:
            raise ValueError("bad entry in block")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        entries.append((key, block[pos:pos + value_length]))
        pos += value_length
    return entries
