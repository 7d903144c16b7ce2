"""Reading files in a TF1 graph: ``tf.TextLineReader``, ``tf.WholeFileReader`` and ``tf.decode_csv``.

    filename_queue = tf.train.string_input_producer(['data.csv'], shuffle=False)
    key, value = tf.TextLineReader().read(filename_queue)   # b'data.csv:1', b'73,80,75,152'
    x1, x2, x3, y = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])

A reader lives in the Session (``session.resources``, keyed by its op, like a queue): the file
it is in and where.  Each run of ``ReaderReadV2`` gives the next record; when a file is done it
dequeues the next file name from the queue, and the queue's ``OutOfRangeError`` ends the reading.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes, errors
from ..backend import from_numpy
from ..gfile import GFile
from ..graph import get_default_graph, name_scope
from ..tensor_shape import TensorShape
from .base import Op, ShapeError, convert_to_tensor, create_op
from .data_flow_ops import QueueBase, ResourceOp


class ReaderState:
    """One reader's position in one session: the records of the current file still to come."""

    def __init__(self, records_of):
        self.records_of = records_of     # file name (bytes) -> iterator of (key, value)
        self.records = iter(())

    def next_record(self, queue_state):
        """The next (key, value), opening the next file from the queue when this one is done."""
        while True:
            record = next(self.records, None)
            if record is not None:
                return record
            (filename,), = queue_state.take(1, up_to=False)
            self.records = self.records_of(bytes(np.asarray(filename, dtype=object).item()))


def _read_file(filename: bytes) -> bytes:
    """The file's bytes; a missing file is TF's NotFoundError, as tf.gfile reports OS errors."""
    with GFile(filename, "rb") as f:
        return f.read()


class TextLineReaderV2(ResourceOp):
    type = "TextLineReaderV2"

    def __init__(self, skip_header_lines: int = 0, shared_name: str = "", container: str = ""):
        self.skip_header_lines, self.shared_name, self.container = skip_header_lines, shared_name, container

    def make_state(self, name):
        return ReaderState(self.lines)

    def lines(self, filename: bytes):
        """The lines of the file after the header, keyed ``b'file:<line number>'`` (counted from 1)."""
        lines = _read_file(filename).split(b"\n")
        if lines[-1] == b"":
            lines.pop()          # a final newline ends the last line; it starts no empty one
        for number, line in enumerate(lines[self.skip_header_lines:], start=self.skip_header_lines + 1):
            yield b"%s:%d" % (filename, number), line[:-1] if line.endswith(b"\r") else line


class WholeFileReaderV2(ResourceOp):
    type = "WholeFileReaderV2"

    def __init__(self, shared_name: str = "", container: str = ""):
        self.shared_name, self.container = shared_name, container

    def make_state(self, name):
        return ReaderState(lambda filename: iter([(filename, _read_file(filename))]))


class ReaderReadV2(Op):
    """The next record of the reader: outputs ``key`` and ``value``, two string scalars."""

    type = "ReaderReadV2"
    num_outputs = 2
    gradient = None
    stateful = True

    def __init__(self, reader_op, queue_op):
        self.reader_op, self.queue_op = reader_op, queue_op

    def node_attrs(self, inputs) -> dict:
        return {}

    def infer(self):
        return [(dtypes.string, TensorShape([])), (dtypes.string, TensorShape([]))]

    def kernel(self, op, session):
        def read():
            reader = self.reader_op.kind.state_in(self.reader_op, session)
            key, value = reader.next_record(self.queue_op.kind.state_in(self.queue_op, session))
            return np.array(key, dtype=object), np.array(value, dtype=object)

        return read


class ReaderBase:
    """``tf.ReaderBase``: ``read(queue)`` gives the (key, value) of the next record of the queue's files."""

    def __init__(self, kind: ResourceOp, name: str):
        self._op = create_op(kind, [], name)

    reader_op = property(lambda self: self._op, doc="The reader's op (minitf has no resource handles).")

    def read(self, queue: QueueBase, name=None):
        """The next record: ``key`` (``b'file.csv:3'``, the file name for a whole file) and ``value``."""
        if not isinstance(queue, QueueBase):
            raise TypeError(f"read() takes a queue of file names (tf.train.string_input_producer); got {queue!r}")
        with get_default_graph().control_dependencies([self._op, queue.queue_op]):
            return create_op(ReaderReadV2(self._op, queue.queue_op), [], name or "ReaderReadV2").outputs


class TextLineReader(ReaderBase):
    """``tf.TextLineReader``: one record per line (``skip_header_lines`` first lines of each file skipped)."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(TextLineReaderV2(int(skip_header_lines or 0)), name or "TextLineReaderV2")


class WholeFileReader(ReaderBase):
    """``tf.WholeFileReader``: one record per file, its whole contents."""

    def __init__(self, name=None):
        super().__init__(WholeFileReaderV2(), name or "WholeFileReaderV2")


# ---- decode_csv --------------------------------------------------------------------------------
_CSV_TYPES = ("float32", "float64", "int32", "int64", "string")
_NUMBER_NAMES = {"float32": "float", "float64": "double", "int32": "int32", "int64": "int64"}


class DecodeCSV(Op):
    """Each record (a string) split into fields, one output per column, of the defaults' dtypes.

    An empty field takes its column's default; a column whose default is empty (``[]``) is required."""

    type = "DecodeCSV"
    gradient = None

    def __init__(self, OUT_TYPE, field_delim=",", use_quote_delim=True, na_value="",  # noqa: N803  (TF's attr)
                 select_cols=()):
        self.OUT_TYPE, self.field_delim, self.use_quote_delim = OUT_TYPE, field_delim, use_quote_delim
        self.na_value, self.select_cols = na_value, list(select_cols)
        self.num_outputs = len(OUT_TYPE)

    def node_attrs(self, inputs) -> dict:
        return {k: v for k, v in vars(self).items() if k != "num_outputs"}

    def infer(self, records, *defaults):
        for default in defaults:
            shape = default.shape
            if shape.ndims is not None and shape.ndims > 1:
                raise ShapeError(f"Shape must be at most rank 1 but is rank {shape.ndims}")
            if shape.ndims == 1 and shape.dims[0].value not in (None, 0, 1):
                raise ShapeError("Shape of a default must be a length-0 or length-1 vector, or a scalar.")
        pairs = [(t, records.shape) for t in self.OUT_TYPE]
        return pairs[0] if self.num_outputs == 1 else pairs

    def forward(self, records, *defaults):
        if len(self.field_delim) != 1:
            raise errors.InvalidArgumentError(None, None, "field_delim should be only 1 char")
        records = np.asarray(records, dtype=object)
        columns = [[] for _ in self.OUT_TYPE]
        for r, record in enumerate(records.reshape(-1)):
            fields = self.fields(record, r)
            for f, (field, dtype, default) in enumerate(zip(fields, self.OUT_TYPE, defaults)):
                columns[f].append(self.parse(field, dtype, np.asarray(default).reshape(-1), f, r))
        outputs = [np.array(c, dtype=object).reshape(records.shape) if t == dtypes.string
                   else from_numpy(np.array(c, dtype=t.as_numpy_dtype).reshape(records.shape))
                   for c, t in zip(columns, self.OUT_TYPE)]
        return tuple(outputs) if self.num_outputs > 1 else outputs[0]

    def fields(self, record: bytes, r: int) -> list:
        """The record's fields (those of ``select_cols``), checked against the number of columns."""
        fields = _split_csv(record, self.field_delim.encode(), self.use_quote_delim)
        if self.select_cols:
            if len(fields) <= self.select_cols[-1]:
                raise errors.InvalidArgumentError(None, None, f"Expect {self.select_cols[-1] + 1} fields but have "
                                                              f"{len(fields)} in record {r}")
            return [fields[c] for c in self.select_cols]
        if len(fields) != len(self.OUT_TYPE):
            raise errors.InvalidArgumentError(None, None, f"Expect {len(self.OUT_TYPE)} fields but have "
                                                          f"{len(fields)} in record {r}")
        return fields

    def parse(self, field: bytes, dtype, default, f: int, r: int):
        """One field's value: the default when empty (or ``na_value``), else the field as ``dtype``."""
        if field == b"" or field == self.na_value.encode():
            if default.size == 0:
                raise errors.InvalidArgumentError(None, None, f"Field {f} is required but missing in record {r}!")
            return default[0]
        if dtype == dtypes.string:
            return field
        try:
            if b"_" in field:
                raise ValueError(field)
            value = (int if dtype.is_integer else float)(field)
            if dtype.is_integer and not dtype.min <= value <= dtype.max:
                raise ValueError(field)
            return value
        except ValueError:
            raise errors.InvalidArgumentError(None, None, f"Field {f} in record {r} is not a valid "
                                                          f"{_NUMBER_NAMES[dtype.name]}: {field.decode()}") from None


def _split_csv(record: bytes, delim: bytes, quoted: bool) -> list:
    """TF's CSV fields: split at ``delim``; with ``quoted``, a field in double quotes may hold the
    delimiter and ``""`` (a quote).  An empty record has no fields."""
    fields, pos, end = [], 0, len(record)
    while end:
        if quoted and record.startswith(b'"', pos):
            parts, pos = [], pos + 1
            while True:
                close = record.find(b'"', pos)
                if close < 0:
                    raise _csv_error("Quoted field has to end with quote followed by delim or end")
                parts.append(record[pos:close])
                if record.startswith(b'"', close + 1):
                    parts.append(b'"')
                    pos = close + 2
                    continue
                pos = close + 1
                break
            if pos < end and record[pos:pos + 1] != delim:
                raise _csv_error("Quote inside a string has to be escaped by another quote")
            fields.append(b"".join(parts))
        else:
            stop = record.find(delim, pos)
            stop = end if stop < 0 else stop
            field = record[pos:stop]
            if (quoted and b'"' in field) or b"\r" in field or b"\n" in field:
                raise _csv_error("Unquoted fields cannot have quotes/CRLFs inside")
            fields.append(field)
            pos = stop
        if pos == end:
            break
        pos += 1
        if pos == end:           # a delimiter at the end: one more, empty, field
            fields.append(b"")
            break
    return fields


def _csv_error(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None, na_value="",
               select_cols=None):
    """``tf.decode_csv``: the columns of CSV ``records``, one tensor each, of the defaults' dtypes
    (``[[0.], [0]]``: a float32 column and an int32 one; an empty default ``[]`` marks a required column)."""
    with name_scope(name, "DecodeCSV") as scope:
        records = convert_to_tensor(records, dtype=dtypes.string, name="records")
        defaults = [convert_to_tensor(d, name=f"record_defaults_{i}") for i, d in enumerate(record_defaults)]
        for d in defaults:
            if d.dtype.base_dtype.name not in _CSV_TYPES:
                raise TypeError(f"Value passed to parameter 'record_defaults' has DataType {d.dtype.base_dtype.name} "
                                f"not in list of allowed values: {', '.join(_CSV_TYPES)}")
        kind = DecodeCSV([d.dtype.base_dtype for d in defaults], field_delim, use_quote_delim, na_value,
                         sorted(select_cols or ()))
        return create_op(kind, [records] + defaults, scope).outputs
