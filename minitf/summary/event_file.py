"""Event files: the log that TensorBoard reads (notebook 07).

A ``FileWriter`` appends *events* to a file named ``events.out.tfevents.<unix time>.<hostname>``
in its log directory.  Each event is a serialized ``Event`` protocol buffer (a wall time, a
step, and a summary or a graph), framed as a *TFRecord*::

    uint64  length of data                  little-endian
    uint32  masked CRC-32C of those 8 bytes
    bytes   data                            the serialized Event
    uint32  masked CRC-32C of data

The checksums let a reader notice a torn or damaged record: TensorBoard reads a file while
training is still writing it.  The first event of every file only says
``file_version: "brain.Event:2"``.

TF1 hands events to a background thread so that training never waits for the disk.  Our
records are small and go through a buffered file, so we write them on the spot, hand them to
the operating system every ``max_queue`` events or ``flush_secs`` seconds, and force them onto
the disk on ``flush()``/``close()``: the same files, and no thread to reason about.
"""
from __future__ import annotations

import os
import socket
import struct
import time
import warnings
from typing import Any, BinaryIO, Mapping

import numpy as np

from .. import protos
from ..crc32c import masked_crc32c

FILE_VERSION = "brain.Event:2"


def tfrecord(data: bytes) -> bytes:
    """Frame ``data`` as one TFRecord: length, its checksum, the data, its checksum."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length))
            + data + struct.pack("<I", masked_crc32c(data)))


class EventFileWriter:
    """Writes events for TensorBoard into one events file in ``logdir``.

    The directory is created at once; the file appears with the first event, so a writer
    closed without events leaves the directory empty.  Written events wait in the file's
    buffer for at most ``max_queue`` events or ``flush_secs`` seconds (checked whenever an
    event is added) -- TF1's queue size and flush period -- and ``flush()``/``close()`` push
    them to the disk at once.
    """

    def __init__(self, logdir: str | os.PathLike, max_queue: int = 10, flush_secs: float = 120,
                 filename_suffix: str = "") -> None:
        self._logdir = logdir
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._filename_suffix = filename_suffix
        os.makedirs(logdir, exist_ok=True)
        self._file: BinaryIO | None = None
        self._unflushed = 0
        self._last_flush = time.time()
        self._closed = False
        self._tags_with_metadata: set[str] = set()

    def get_logdir(self) -> str | os.PathLike:
        """The log directory, as it was given."""
        return self._logdir

    def get_filename(self) -> str | None:
        """Path of the events file, or ``None`` while no event has been written."""
        return None if self._file is None else self._file.name

    def add_event(self, event: Any) -> None:
        """Write one ``Event`` (a proto, or a dict of its fields); ``wall_time`` defaults to now."""
        if self._closed:
            warnings.warn("Attempting to use a closed FileWriter. The operation will be a noop "
                          "unless the FileWriter is explicitly reopened.",
                          RuntimeWarning, stacklevel=2)
            return
        if isinstance(event, Mapping):
            event = protos.proto_module("event_pb2").Event(**event)
        if not event.wall_time:
            event.wall_time = time.time()
        self._write(event.SerializeToString())

    def add_summary(self, summary: bytes | np.bytes_ | Any,
                    global_step: int | np.integer | None = None) -> None:
        """Write a summary (serialized, as ``sess.run`` returns it, or a ``Summary`` proto).

        Like TF1, a value's plugin metadata is written only the first time its tag is seen:
        TensorBoard remembers it per tag.
        """
        summary_pb2 = protos.proto_module("summary_pb2")
        if not isinstance(summary, (bytes, bytearray, np.bytes_)):
            summary = summary.SerializeToString()
        summary = summary_pb2.Summary.FromString(bytes(summary))  # a copy we may change
        for value in summary.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._tags_with_metadata:
                value.ClearField("metadata")
            else:
                self._tags_with_metadata.add(value.tag)
        self._add_with_step(protos.proto_module("event_pb2").Event(summary=summary), global_step)

    def add_graph_def(self, graph_def: bytes, global_step: int | np.integer | None = None) -> None:
        """Write a serialized ``GraphDef`` (see :mod:`minitf.summary.graph_def`)."""
        event = protos.proto_module("event_pb2").Event(graph_def=bytes(graph_def))
        self._add_with_step(event, global_step)

    def flush(self) -> None:
        """Push every event written so far to the disk (and make the OS store it there)."""
        self._flush_buffer()
        if self._file is not None:
            os.fsync(self._file.fileno())

    def close(self) -> None:
        """Flush and close the file; later events are ignored (with a warning) until
        ``reopen()``."""
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None
        self._closed = True

    def reopen(self) -> None:
        """Accept events again after ``close()``; they go into a new events file."""
        self._closed = False

    def __enter__(self) -> EventFileWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _add_with_step(self, event: Any, global_step: int | np.integer | None) -> None:
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def _write(self, serialized_event: bytes) -> None:
        """Append one record, opening the file first if needed, and flush when it is time."""
        if self._file is None:
            self._file = self._open_events_file()
        self._file.write(tfrecord(serialized_event))
        self._unflushed += 1
        if self._unflushed >= self._max_queue or time.time() - self._last_flush >= self._flush_secs:
            self._flush_buffer()

    def _flush_buffer(self) -> None:
        """Hand the buffered records to the OS, so a running TensorBoard can read them."""
        if self._file is not None:
            self._file.flush()
        self._unflushed = 0
        self._last_flush = time.time()

    def _open_events_file(self) -> BinaryIO:
        """Create a new events file and write its first event, the file version.

        Two writers started in the same second would get the same name; the later one adds
        ``.1``, ``.2``... rather than overwrite the other's events.
        """
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
        base = os.path.join(self._logdir, name)
        path, n = base + self._filename_suffix, 0
        while True:
            try:
                events_file = open(path, "xb")
                break
            except FileExistsError:
                n += 1
                path = f"{base}.{n}{self._filename_suffix}"
        version = protos.proto_module("event_pb2").Event(wall_time=time.time(),
                                                         file_version=FILE_VERSION)
        events_file.write(tfrecord(version.SerializeToString()))
        return events_file
