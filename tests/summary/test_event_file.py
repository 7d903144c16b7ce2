"""Event files and summaries, read back with TensorBoard's own reader (minitf/summary)."""
from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys

import numpy as np
import pytest

from minitf import crc32c, dtypes, protos
from minitf.summary import event_file

pytest.importorskip("tensorboard", reason="summaries need TensorBoard's protocol buffers: pip install tensorboard")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.compat.proto import event_pb2, graph_pb2, summary_pb2  # noqa: E402
from tensorboard.compat.tensorflow_stub import errors as stub_errors  # noqa: E402
from tensorboard.compat.tensorflow_stub import pywrap_tensorflow as stub  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

DBL_MAX = sys.float_info.max
DT_FLOAT = dtypes.float32.as_datatype_enum
WEIGHTS = np.array([[-0.5, 0.25, 0.0], [1.5, 1.5, 3e-13]], dtype=np.float32)
IMAGES = np.arange(2 * 4 * 5 * 3, dtype=np.uint8).reshape(2, 4, 5, 3)
GRAPH_NODES = [
    {"name": "Const", "op": "Const",
     "attrs": {"dtype": ("type", DT_FLOAT), "value": ("tensor", np.float32(3.0))}},
    {"name": "x", "op": "Placeholder",
     "attrs": {"dtype": ("type", DT_FLOAT), "shape": ("shape", [None, 3])}},
    {"name": "layer1/W1", "op": "VariableV2",
     "attrs": {"dtype": ("type", DT_FLOAT), "shape": ("shape", [2, 3]),
               "container": ("s", ""), "shared_name": ("s", b"")}},
    {"name": "add", "op": "AddV2", "inputs": ["Const", "x:0", "^layer1/W1"],
     "attrs": {"T": ("type", DT_FLOAT)}},
]


def read_records(path: str) -> list[bytes]:
    """Every record of a TFRecord file, with both CRCs checked by TensorBoard's stub reader."""
    reader = stub.PyRecordReader_New(path.encode())
    records = []
    while True:
        try:
            reader.GetNext()
        except stub_errors.OutOfRangeError:
            return records
        records.append(reader.record())


def only_events_file(logdir) -> str:
    names = [n for n in os.listdir(logdir) if n.startswith("events.out.tfevents.")]
    assert len(names) == 1, names
    return os.path.join(logdir, names[0])


@pytest.fixture
def logdir(tmp_path):
    """A log directory with scalars over 5 steps, a histogram, images, text and a graph."""
    directory = str(tmp_path / "logs")
    writer = event_file.EventFileWriter(directory)
    writer.add_graph_def(protos.graph_def_proto(GRAPH_NODES).SerializeToString())
    for step in range(5):
        merged = protos.merge_summaries([
            protos.scalar_summary("optimizer/cost", 1.0 / (step + 1)),
            protos.histogram_summary("optimizer/Weights", WEIGHTS * step)])
        as_run_returns = np.bytes_(merged) if step % 2 else merged
        writer.add_summary(as_run_returns, global_step=np.int32(step + 1))
    writer.add_summary(protos.image_summary("digits", IMAGES), global_step=5)
    writer.add_summary(protos.text_summary("notes", "**loss** went down"), global_step=5)
    writer.add_summary(protos.text_summary("notes", ["later", "again"]), global_step=6)
    writer.close()
    return directory


@pytest.fixture
def accumulator(logdir):
    everything = event_accumulator.STORE_EVERYTHING_SIZE_GUIDANCE
    acc = event_accumulator.EventAccumulator(logdir, size_guidance=everything)
    acc.Reload()
    return acc


def test_scalars_read_back_with_steps(accumulator):
    scalars = accumulator.Scalars("optimizer/cost")
    assert [s.step for s in scalars] == [1, 2, 3, 4, 5]
    assert [s.value for s in scalars] == pytest.approx([1.0, 1 / 2, 1 / 3, 1 / 4, 1 / 5])


def test_histogram_read_back(accumulator):
    histograms = accumulator.Histograms("optimizer/Weights")
    assert [h.step for h in histograms] == [1, 2, 3, 4, 5]
    last = histograms[-1].histogram_value
    values = WEIGHTS.astype(np.float64) * 4
    assert (last.min, last.max, last.num) == (values.min(), values.max(), 6)
    assert last.sum == pytest.approx(values.sum())
    assert last.sum_squares == pytest.approx((values ** 2).sum())
    assert sum(last.bucket) == 6


def test_images_read_back(accumulator):
    assert sorted(accumulator.Tags()["images"]) == ["digits/image/0", "digits/image/1"]
    image = accumulator.Images("digits/image/1")[0]
    assert (image.width, image.height, image.step) == (5, 4, 5)
    PIL = pytest.importorskip("PIL.Image")
    decoded = np.asarray(PIL.open(io.BytesIO(image.encoded_image_string)))
    np.testing.assert_array_equal(decoded, IMAGES[1])


def test_text_read_back(accumulator):
    assert list(accumulator.PluginTagToContent("text")) == ["notes"]
    first, second = accumulator.Tensors("notes")
    assert tensor_util.make_ndarray(first.tensor_proto) == b"**loss** went down"
    assert tensor_util.make_ndarray(second.tensor_proto).tolist() == [b"later", b"again"]


def test_graph_read_back(accumulator):
    graph = accumulator.Graph()
    assert [(n.name, n.op) for n in graph.node] == [(n["name"], n["op"]) for n in GRAPH_NODES]
    assert graph.versions.producer == 27
    const, x, w1, add = graph.node
    assert tensor_util.make_ndarray(const.attr["value"].tensor) == np.float32(3.0)
    assert [d.size for d in x.attr["shape"].shape.dim] == [-1, 3]
    assert w1.attr["container"].s == b"" and w1.attr["dtype"].type == DT_FLOAT
    assert list(add.input) == ["Const", "x:0", "^layer1/W1"]


def test_records_are_framed_with_valid_crcs(logdir):
    records = read_records(only_events_file(logdir))
    first = event_pb2.Event.FromString(records[0])
    assert first.file_version == "brain.Event:2" and first.wall_time > 0
    assert len(records) == 1 + 1 + 5 + 3  # version, graph, 5 merged summaries, image, 2 texts
    assert event_pb2.Event.FromString(records[1]).HasField("graph_def")


def test_a_damaged_record_fails_its_crc(logdir):
    path = only_events_file(logdir)
    data = bytearray(open(path, "rb").read())
    data[40] ^= 0xFF  # inside the second record
    with open(path, "wb") as f:
        f.write(bytes(data))
    with pytest.raises(stub_errors.DataLossError):
        read_records(path)


def test_plugin_metadata_is_written_once_per_tag(logdir):
    texts = [event_pb2.Event.FromString(r) for r in read_records(only_events_file(logdir))][-2:]
    assert texts[0].summary.value[0].HasField("metadata")
    assert not texts[1].summary.value[0].HasField("metadata")


def test_crc32c_matches_known_values_and_tensorboard():
    assert crc32c.crc32c(b"123456789") == 0xE3069283  # the standard CRC-32C check value
    assert crc32c.crc32c(b"") == 0
    assert crc32c.crc32c(b"56789", crc32c.crc32c(b"1234")) == 0xE3069283  # continued
    for size in (1, 7, 64, 1000):
        data = os.urandom(size)
        assert crc32c.crc32c(data) == stub.crc32c(data)
        assert crc32c.masked_crc32c(data) == stub.masked_crc32c(data)
        assert crc32c.unmask(crc32c.masked_crc32c(data)) == stub.crc32c(data)


def test_file_name_and_empty_writer(tmp_path):
    logdir = tmp_path / "a" / "b"
    writer = event_file.EventFileWriter(str(logdir), filename_suffix=".v2")
    assert logdir.is_dir() and os.listdir(logdir) == []
    assert writer.get_logdir() == str(logdir) and writer.get_filename() is None
    writer.add_event({"step": 3})
    name = os.path.basename(writer.get_filename())
    pattern = r"events\.out\.tfevents\.\d{10}\." + re.escape(socket.gethostname()) + r"\.v2"
    assert re.fullmatch(pattern, name)
    writer.close()

    empty = tmp_path / "empty"
    event_file.EventFileWriter(str(empty)).close()
    assert empty.is_dir() and os.listdir(empty) == []


def test_flush_makes_events_visible(tmp_path):
    writer = event_file.EventFileWriter(str(tmp_path))
    writer.add_summary(protos.scalar_summary("a", 1.0), global_step=1)
    writer.flush()
    assert len(read_records(writer.get_filename())) == 2
    writer.close()


def test_events_are_flushed_every_max_queue_events(tmp_path):
    writer = event_file.EventFileWriter(str(tmp_path), max_queue=3)
    for step in range(3):
        writer.add_summary(protos.scalar_summary("a", step), global_step=step)
    assert len(read_records(writer.get_filename())) == 4
    writer.close()


def test_closed_writer_ignores_events_until_reopened(tmp_path):
    writer = event_file.EventFileWriter(str(tmp_path))
    writer.add_summary(protos.scalar_summary("a", 1.0))
    writer.close()
    with pytest.warns(RuntimeWarning, match="closed FileWriter"):
        writer.add_summary(protos.scalar_summary("a", 2.0))
    assert len(os.listdir(tmp_path)) == 1
    writer.reopen()
    writer.add_summary(protos.scalar_summary("a", 3.0))
    writer.close()
    assert len(os.listdir(tmp_path)) == 2  # a reopened writer starts a new file


def test_two_writers_in_one_second_do_not_overwrite_each_other(tmp_path):
    writers = [event_file.EventFileWriter(str(tmp_path)) for _ in range(2)]
    for writer in writers:
        writer.add_summary(protos.scalar_summary("a", 1.0))
        writer.close()
    assert len(os.listdir(tmp_path)) == 2


def test_a_thousand_small_events_are_all_written(tmp_path):
    summary = protos.scalar_summary("optimizer/cost", 0.5)
    with event_file.EventFileWriter(str(tmp_path)) as writer:
        for step in range(1000):
            writer.add_summary(summary, global_step=step)
    assert len(read_records(only_events_file(tmp_path))) == 1001


def test_histogram_buckets_follow_tensorflow():
    summary = protos.histogram_summary("h", [0.0, 1.0, 1.0, -2.0])
    histo = summary_pb2.Summary.FromString(summary).value[0].histo
    limits, counts = list(histo.bucket_limit), list(histo.bucket)
    assert sum(counts) == 4 and histo.num == 4 and (histo.min, histo.max) == (-2.0, 1.0)
    # value v is counted in the first bucket whose limit is > v; runs of empty buckets collapse
    nonempty = [(limit, count) for limit, count in zip(limits, counts) if count]
    assert [count for _, count in nonempty] == [1, 1, 2]
    assert nonempty[1][0] == 1e-12  # 0.0 falls in [0, 1e-12)
    assert -2.0 < nonempty[0][0] <= -2.0 / 1.1 and 1.0 < nonempty[2][0] <= 1.1
    assert all(a or b for a, b in zip(counts, counts[1:]))  # never two empty buckets in a row
    assert limits[-1] == DBL_MAX and counts[-1] == 0


def test_edges_are_tensorflows():
    edges = protos._BUCKET_LIMITS
    assert edges[0] == -DBL_MAX and edges[-1] == DBL_MAX and 0.0 in edges
    assert np.all(np.diff(edges) > 0) and len(edges) == 2 * (774 + 1) + 1
    assert edges[len(edges) // 2 + 1] == 1e-12 and edges[-2] < 1e20 <= edges[-2] * 1.1


def test_empty_histogram_is_one_empty_bucket():
    histo = summary_pb2.Summary.FromString(protos.histogram_summary("h", [])).value[0].histo
    assert (histo.min, histo.max, histo.num) == (DBL_MAX, -DBL_MAX, 0)
    assert list(histo.bucket_limit) == [DBL_MAX] and list(histo.bucket) == [0.0]


@pytest.mark.parametrize("bad, word", [(np.nan, "Nan"), (np.inf, "Infinity")])
def test_histogram_of_nan_or_inf_is_an_error(bad, word):
    with pytest.raises(ValueError, match=f"{word} in summary histogram for: w"):
        protos.histogram_summary("w", [1.0, bad])


def test_image_tags_depend_on_max_outputs():
    def tags(summary: bytes) -> list[str]:
        return [v.tag for v in summary_pb2.Summary.FromString(summary).value]
    assert tags(protos.image_summary("im", IMAGES[:1])) == ["im/image/0"]
    assert tags(protos.image_summary("im", IMAGES, max_outputs=1)) == ["im/image"]
    summary = protos.image_summary("g", IMAGES[:, :, :, :1])
    grey = summary_pb2.Summary.FromString(summary).value[0].image
    assert grey.colorspace == 1
    with pytest.raises(ValueError, match="4-D with last dim 1, 3, or 4"):
        protos.image_summary("im", IMAGES[0])
    with pytest.raises(TypeError, match="uint8"):
        protos.image_summary("im", IMAGES.astype(np.float32))


def test_merge_keeps_order_and_rejects_duplicate_tags():
    merged = protos.merge_summaries([protos.scalar_summary("a", 1), protos.scalar_summary("b", 2)])
    assert [v.tag for v in summary_pb2.Summary.FromString(merged).value] == ["a", "b"]
    with pytest.raises(ValueError, match="Duplicate tag a found in summary inputs"):
        protos.merge_summaries([merged, protos.scalar_summary("a", 3)])
    with pytest.raises(ValueError, match="Could not parse one of the summary inputs"):
        protos.merge_summaries([b"\xff\xff"])


def test_tensor_attrs_are_laid_out_like_tensorflow():
    scalar = protos.tensor_proto(np.float32(3.0))
    assert list(scalar.float_val) == [3.0] and not scalar.tensor_content
    matrix = protos.tensor_proto(np.arange(6, dtype=np.int64).reshape(2, 3))
    assert matrix.dtype == dtypes.int64.as_datatype_enum and [d.size for d in matrix.tensor_shape.dim] == [2, 3]
    assert matrix.tensor_content == np.arange(6, dtype="<i8").tobytes()
    half = protos.tensor_proto(np.float16(1.5))
    assert list(half.half_val) == [int(np.float16(1.5).view(np.uint16))]
    for value in (np.arange(4, dtype=np.float16), np.array([True, False]), np.uint8(7),
                  np.array([b"a", b"b\x00"], dtype=object)):
        np.testing.assert_array_equal(tensor_util.make_ndarray(protos.tensor_proto(value)), value)
    assert protos.shape_proto(None).unknown_rank


ALL_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
              "uint32", "uint64", "bool", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(), (1,), (2, 3)])
def test_tensor_value_inverts_tensor_proto_and_agrees_with_tensorboard(dtype, shape):
    value = (np.arange(int(np.prod(shape))) * 3 + 1).astype(dtype).reshape(shape)
    if dtype.startswith("complex"):
        value = value * (1 - 2j)
    proto = protos.tensor_proto(value)
    readers = [protos.tensor_value]
    if not (dtype in ("uint32", "uint64") and value.size == 1):  # tensorboard lacks uint32_val
        readers.append(tensor_util.make_ndarray)
    for decoded in (read(proto) for read in readers):
        assert decoded.dtype == value.dtype and decoded.shape == value.shape
        np.testing.assert_array_equal(decoded, value)


def test_tensor_value_of_strings_and_of_a_repeated_last_value():
    strings = np.array([[b"a", b""], [b"b\x00", "é".encode()]], dtype=object)
    decoded = protos.tensor_value(protos.tensor_proto(strings))
    assert decoded.dtype == object and decoded.tolist() == strings.tolist()
    short = protos.tensor_proto(np.float32(2.5))
    short.tensor_shape.CopyFrom(protos.shape_proto([2, 2]))  # TF writes filled tensors this way
    np.testing.assert_array_equal(protos.tensor_value(short), np.full((2, 2), 2.5, np.float32))


def test_attr_kinds():
    assert list(protos.attr_value("list_i", [1, 2]).list.i) == [1, 2]
    shapes = protos.attr_value("list_shape", [[1], [None, 2]]).list.shape
    assert [[d.size for d in s.dim] for s in shapes] == [[1], [-1, 2]]
    assert protos.attr_value("f", np.float32(0.5)).f == 0.5 and protos.attr_value("b", True).b
    with pytest.raises(ValueError, match="unknown attr kind"):
        protos.attr_value("list_func", [])


def test_dtype_enums():
    expected = {np.float32: 1, np.float64: 2, np.int32: 3, np.uint8: 4, np.int16: 5, np.int8: 6,
                np.bytes_: 7, np.str_: 7, object: 7, np.complex64: 8, np.int64: 9, np.bool_: 10,
                np.uint16: 17, np.complex128: 18, np.float16: 19, np.uint32: 22, np.uint64: 23}
    assert {dtype: protos.dtype_enum(dtype) for dtype in expected} == expected
    with pytest.raises(TypeError, match="timedelta64"):
        protos.dtype_enum(np.timedelta64)


def test_graph_def_proto_round_trips_through_bytes():
    serialized = protos.graph_def_proto(GRAPH_NODES).SerializeToString()
    graph = graph_pb2.GraphDef.FromString(serialized)
    assert graph.node[3].attr["T"].type == DT_FLOAT


def test_importing_the_modules_does_not_import_protobuf():
    code = ("import sys, minitf.summary.event_file, minitf.protos; "
            "print(sorted(m for m in ('tensorboard', 'google.protobuf') if m in sys.modules))")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=repo)
    assert result.stdout.strip() == "[]"
