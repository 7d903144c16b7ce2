"""Checkpoint files and the `checkpoint` state file (minitf/train/checkpoint_format.py and the
format modules under it: sstable.py, tensor_bundle.py, legacy_checkpoint.py).

Byte-level checks against files real TensorFlow wrote (tests/data/tf_files/) always run: minitf
writes the same tensors to the very same bytes.
"""
from __future__ import annotations

import gzip
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tracemalloc

import numpy as np
import pytest

from minitf.errors import DataLossError, NotFoundError
from minitf.train import checkpoint_format as ckpt
from minitf.train import sstable, tensor_bundle

DATA = pathlib.Path(__file__).parents[1] / "data"
TF_FILES = DATA / "tf_files"
NUMERIC_DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
                  np.uint8, np.uint16, np.uint32, np.uint64, np.complex64, np.complex128, np.bool_]
SHAPES = [(), (0,), (3,), (2, 3), (2, 0, 4)]


def files_in(directory) -> list[str]:
    return sorted(os.listdir(directory))


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_round_trip(tmp_path, dtype, shape):
    value = (np.arange(int(np.prod(shape))) % 7 - 2).astype(dtype).reshape(shape)
    prefix = str(tmp_path / "model.ckpt")
    ckpt.write_checkpoint(prefix, {"v": value})
    restored = ckpt.read_checkpoint(prefix)["v"]
    assert restored.dtype == value.dtype and restored.shape == value.shape
    np.testing.assert_array_equal(restored, value)


def test_strings_round_trip_exactly(tmp_path):
    tensors = {
        "words": np.array([[b"a", b""], [b"trailing nul\x00", b"\x00\xff"]], dtype=object),
        "scalar": np.array(b"hello", dtype=object),
        "unicode": np.array(["k\u00e4se", "x"]),
        "fixed": np.array([b"ab", b"c"]),
        "none": np.empty((0, 2), dtype=object),
        "long": np.array([b"y" * 300]),   # a two-byte varint length
    }
    prefix = str(tmp_path / "s.ckpt")
    ckpt.write_checkpoint(prefix, tensors)
    restored = ckpt.read_checkpoint(prefix)
    assert restored["words"].dtype == object
    assert restored["words"].tolist() == [[b"a", b""], [b"trailing nul\x00", b"\x00\xff"]]
    assert restored["scalar"].shape == () and restored["scalar"].item() == b"hello"
    assert restored["unicode"].tolist() == ["k\u00e4se".encode(), b"x"]
    assert restored["fixed"].tolist() == [b"ab", b"c"]
    assert restored["none"].shape == (0, 2)
    assert restored["long"].tolist() == [b"y" * 300]


def test_unsupported_dtype_is_refused_before_writing(tmp_path):
    with pytest.raises(TypeError, match="cannot save 'when'"):
        ckpt.write_checkpoint(str(tmp_path / "m.ckpt"), {"when": np.datetime64("2024-01-01")})
    assert files_in(tmp_path) == []


# ---------------------------------------------------------------------------------------------
# The bytes, as TensorFlow writes them
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["tf1", "tf2"])
def test_tensorflows_saver_files_are_written_again_byte_for_byte(tmp_path, version):
    """Read what TF's Saver wrote and write it with minitf: the same .index and .data bytes."""
    source = TF_FILES / version / "mlp" / "model.ckpt-3"
    tensors = ckpt.read_checkpoint(str(source))
    ckpt.write_checkpoint(str(tmp_path / "model.ckpt-3"), tensors)
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / ("model.ckpt-3" + suffix)).read_bytes() == \
            pathlib.Path(str(source) + suffix).read_bytes(), suffix


def test_every_dtype_gets_tensorflows_entry():
    """The index entries minitf writes for TF's dtypes checkpoint equal TF's (offsets aside:
    TF wrote those tensors in another order)."""
    source = str(TF_FILES / "tf1" / "dtypes" / "all.ckpt")
    reader = tensor_bundle.BundleReader(source)
    written = tensor_bundle.write_data(open(os.devnull, "wb"),
                                       {name: reader.read(name) for name in reader.tensor_names()})
    for name, entry in written.items():
        theirs = reader.entries[name]
        assert (entry.dtype, entry.shape, entry.size, entry.crc32c) == \
            (theirs.dtype, theirs.shape, theirs.size, theirs.crc32c), name
        assert tensor_bundle.decode_entry(tensor_bundle.encode_entry(theirs)) == theirs


def test_tables_of_several_blocks_are_written_byte_for_byte():
    with gzip.open(TF_FILES / "tf1" / "multiblock" / "many.ckpt.index.gz") as f:
        data = f.read()
    entries = sstable.read_table(data, "many.ckpt.index")
    assert len(entries) == 1201 and len(data) > 2 * sstable.BLOCK_SIZE
    assert sstable.write_table(entries) == data


def test_index_layout(tmp_path):
    """An sstable ending in TF's magic number, whose first entry is the header under ""."""
    prefix = str(tmp_path / "m.ckpt")
    ckpt.write_checkpoint(prefix, {"w": np.ones((2, 3), np.float32)})
    index = pathlib.Path(prefix + ".index").read_bytes()
    assert struct.unpack("<Q", index[-8:])[0] == 0xDB4775248B80FB57
    (header_key, header), (key, entry) = sstable.read_table(index, "m.ckpt.index")
    assert (header_key, header) == (b"", b"\x08\x01\x1a\x02\x08\x01")  # 1 shard, version 1
    assert key == b"w" and tensor_bundle.decode_entry(entry) == tensor_bundle.BundleEntry(
        dtype=1, shape=[2, 3], size=24, crc32c=entry_crc(np.ones((2, 3), np.float32)))
    assert pathlib.Path(prefix + ".data-00000-of-00001").read_bytes() == \
        np.ones((2, 3), "<f4").tobytes()


def entry_crc(array: np.ndarray) -> int:
    from minitf.crc32c import masked_crc32c

    return masked_crc32c(array.tobytes())


def test_slice_keys_are_tensorflows():
    keys = [name for name in tensor_bundle.BundleReader(
        str(TF_FILES / "tf1" / "partitioned" / "model.ckpt")).entries if name.startswith("\0")]
    made = [tensor_bundle.slice_key("part", [(start, length), (0, 3)])
            for start, length in ((0, 4), (4, 3), (7, 3))]  # fixed_size_partitioner(3) of 10 rows
    assert sorted(made) == sorted(keys)
    assert tensor_bundle._ordered_signed(-1) == b"\x7f"
    assert tensor_bundle._ordered_signed(0x424242) == bytes.fromhex("f0424242")
    assert tensor_bundle._ordered_signed(-0x800) == bytes.fromhex("3800")


# ---------------------------------------------------------------------------------------------
# Damaged and crafted files
# ---------------------------------------------------------------------------------------------

def saved(tmp_path, tensors=None) -> str:
    prefix = str(tmp_path / "m.ckpt")
    ckpt.write_checkpoint(prefix, tensors or {"w": np.arange(6, dtype=np.float32),
                                              "s": np.array([b"abc", b"de"], dtype=object)})
    return prefix


def test_truncated_data_file_is_data_loss_naming_it(tmp_path):
    prefix = saved(tmp_path)
    data = prefix + ".data-00000-of-00001"
    with open(data, "r+b") as f:
        f.truncate(10)
    with pytest.raises(DataLossError, match=r"m\.ckpt\.data-00000-of-00001.*truncated"):
        ckpt.open_checkpoint(prefix).read("w")


@pytest.mark.parametrize("where", [0, 30])
def test_a_flipped_byte_in_the_data_is_data_loss(tmp_path, where):
    prefix = saved(tmp_path)
    with open(prefix + ".data-00000-of-00001", "r+b") as f:
        f.seek(where)
        byte = f.read(1)
        f.seek(where)
        f.write(bytes([byte[0] ^ 1]))
    reader = ckpt.open_checkpoint(prefix)
    with pytest.raises(DataLossError, match="checksum does not match"):
        reader.read("s" if where == 0 else "w")  # "s" is stored first, then "w" (sorted)


@pytest.mark.parametrize("damage", ["flip", "truncate", "magic", "empty"])
def test_a_damaged_index_is_data_loss_naming_it(tmp_path, damage):
    prefix = saved(tmp_path)
    index = pathlib.Path(prefix + ".index")
    data = bytearray(index.read_bytes())
    if damage == "flip":
        data[5] ^= 0x40
    elif damage == "truncate":
        data = data[:-20]
    elif damage == "magic":
        data[-1] ^= 1
    else:
        data = bytearray()
    index.write_bytes(bytes(data))
    with pytest.raises(DataLossError, match=r"m\.ckpt\.index"):
        ckpt.open_checkpoint(prefix)


def crafted(tmp_path, entry: tensor_bundle.BundleEntry, data: bytes = b"\0" * 64) -> str:
    """A checkpoint whose index says ``entry`` about tensor "big", and a small data file."""
    prefix = str(tmp_path / "crafted.ckpt")
    pathlib.Path(prefix + ".index").write_bytes(tensor_bundle.index_file({"big": entry}))
    pathlib.Path(prefix + ".data-00000-of-00001").write_bytes(data)
    return prefix


@pytest.mark.parametrize("entry", [
    tensor_bundle.BundleEntry(dtype=1, shape=[10**9], size=4 * 10**9),          # float32
    tensor_bundle.BundleEntry(dtype=1, shape=[10**9], size=64),                  # size mismatch
    tensor_bundle.BundleEntry(dtype=7, shape=[10**9], size=64),                  # strings
    tensor_bundle.BundleEntry(dtype=7, shape=[8], size=60, offset=4),            # lengths lie
    tensor_bundle.BundleEntry(dtype=1, shape=[2**40, 2**40], size=0),            # overflow
    tensor_bundle.BundleEntry(dtype=1, shape=[-1], size=0),                      # bad shape
    tensor_bundle.BundleEntry(dtype=1, shape=[4], size=16, shard_id=3),          # no such shard
])
def test_a_crafted_index_allocates_nothing_beyond_the_file(tmp_path, entry):
    prefix = crafted(tmp_path, entry, b"\xff" * 64)
    reader = ckpt.open_checkpoint(prefix)
    tracemalloc.start()
    try:
        with pytest.raises(DataLossError, match=r"crafted\.ckpt"):
            reader.read("big")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"{peak} bytes allocated for a 64-byte data file"


def test_a_partitioned_tensor_whose_slices_do_not_cover_it_is_refused(tmp_path):
    entry = tensor_bundle.BundleEntry(dtype=1, shape=[10**6, 10**6], slices=[[(0, 1), (0, 1)]])
    prefix = str(tmp_path / "crafted.ckpt")
    piece = tensor_bundle.BundleEntry(dtype=1, shape=[1, 1], size=4, crc32c=entry_crc(
        np.zeros((1, 1), np.float32)))
    entries = {"big": entry, tensor_bundle.slice_key("big", [(0, 1), (0, 1)]): piece}
    pathlib.Path(prefix + ".index").write_bytes(tensor_bundle.index_file(entries))
    pathlib.Path(prefix + ".data-00000-of-00001").write_bytes(b"\0" * 4)
    with pytest.raises(DataLossError, match="do not cover"):
        ckpt.open_checkpoint(prefix).read("big")


def test_restore_reads_only_the_tensors_it_needs(tmp_path, monkeypatch):
    prefix = saved(tmp_path, {"needed": np.ones(3, np.float32), "other": np.zeros(10**5)})
    reader = ckpt.open_checkpoint(prefix)
    read = []
    real_read_bytes = tensor_bundle.BundleReader._read_bytes
    monkeypatch.setattr(tensor_bundle.BundleReader, "_read_bytes",
                        lambda self, name, entry: read.append(name) or real_read_bytes(self, name, entry))
    np.testing.assert_array_equal(reader.read("needed"), np.ones(3, np.float32))
    assert read == ["needed"]


def test_missing_and_broken_checkpoints(tmp_path):
    missing = str(tmp_path / "nope" / "model.ckpt")
    with pytest.raises(NotFoundError, match=r"Failed to find any matching files for .*model\.ckpt"):
        ckpt.read_checkpoint(missing)
    assert not ckpt.checkpoint_exists(missing)
    prefix = saved(tmp_path)
    os.remove(prefix + ".data-00000-of-00001")
    with pytest.raises(DataLossError, match="is missing"):
        ckpt.read_checkpoint(prefix)
    with pytest.raises(NotFoundError, match="Key nope not found in checkpoint"):
        ckpt.open_checkpoint(prefix).read("nope")


# ---------------------------------------------------------------------------------------------
# Checkpoints earlier minitf versions wrote
# ---------------------------------------------------------------------------------------------

LEGACY = DATA / "legacy_checkpoint"


def test_a_checkpoint_of_earlier_minitf_still_reads():
    tensors = ckpt.read_checkpoint(str(LEGACY / "model.ckpt-7"))
    assert tensors["global_step"] == 7 and tensors["global_step"].dtype == np.int32
    np.testing.assert_array_equal(tensors["layer/v"], np.array([1.5, -2.0, 3.25], np.float32))
    assert tensors["names"].tolist() == [b"a\x00", b"", "k\u00e4se".encode()]
    assert ckpt.latest_checkpoint(str(LEGACY)) == str(LEGACY / "model.ckpt-7")


def legacy_copy(tmp_path) -> str:
    shutil.copytree(LEGACY, tmp_path / "legacy")
    return str(tmp_path / "legacy" / "model.ckpt-7")


def rewrite_member(prefix: str, key: str, npy: bytes) -> None:
    """Replace one .npy member and fix the index's hash, as a crafted file would."""
    import hashlib
    import json
    import zipfile

    data_path = prefix + ".data-00000-of-00001"
    with zipfile.ZipFile(data_path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[key + ".npy"] = npy
    with zipfile.ZipFile(data_path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    index = json.loads(pathlib.Path(prefix + ".index").read_text())
    index["data_sha256"] = hashlib.sha256(pathlib.Path(data_path).read_bytes()).hexdigest()
    pathlib.Path(prefix + ".index").write_text(json.dumps(index))


def test_a_legacy_npy_header_claiming_a_huge_shape_is_refused_before_allocation(tmp_path):
    prefix = legacy_copy(tmp_path)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }"
    npy = b"\x93NUMPY\x01\x00" + struct.pack("<H", 118) + header.ljust(117).encode() + b"\n"
    rewrite_member(prefix, "t1", npy + b"\0" * 12)
    tracemalloc.start()
    try:
        with pytest.raises(DataLossError, match=r"claims shape \(1000000000,\)"):
            ckpt.open_checkpoint(prefix).read("layer/v")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20  # the data file is hashed in 1 MiB chunks; 4 GB were claimed


def test_a_legacy_pickled_array_is_refused(tmp_path):
    import io

    prefix = legacy_copy(tmp_path)
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"pickled": True}], dtype=object), allow_pickle=True)
    rewrite_member(prefix, "t1", buffer.getvalue())
    with pytest.raises(DataLossError, match="never unpickles"):
        ckpt.open_checkpoint(prefix).read("layer/v")


def test_a_legacy_data_file_of_another_index_is_detected(tmp_path):
    prefix = legacy_copy(tmp_path)
    with open(prefix + ".data-00000-of-00001", "r+b") as f:
        f.seek(100)
        f.write(b"\xff")
    with pytest.raises(DataLossError, match="content hash differs"):
        ckpt.open_checkpoint(prefix).read("layer/v")


# ---------------------------------------------------------------------------------------------
# Atomic saves, and what killed saves leave
# ---------------------------------------------------------------------------------------------

def save_step(directory, step: int, value: float) -> str:
    """Save a checkpoint `dnn.ckpt-<step>` and record it in the state file, as Saver.save does."""
    prefix = os.path.join(directory, f"dnn.ckpt-{step}")
    ckpt.write_checkpoint(prefix, {"w": np.full(3, value, np.float32)}, meta_graph=b"graph")
    ckpt.update_checkpoint_state(directory, prefix)
    return prefix


def test_files_are_named_like_tensorflow(tmp_path):
    prefix = str(tmp_path / "model" / "dnn.ckpt-4")
    ckpt.write_checkpoint(prefix, {"layer1/W1": np.ones((2, 3), np.float32)}, meta_graph=b"meta")
    assert files_in(tmp_path / "model") == ["dnn.ckpt-4.data-00000-of-00001", "dnn.ckpt-4.index",
                                            "dnn.ckpt-4.meta"]
    assert open(prefix + ".meta", "rb").read() == b"meta"


def test_failure_while_writing_data_leaves_previous_checkpoint(tmp_path, monkeypatch):
    directory = str(tmp_path)
    old = save_step(directory, 2, 1.0)
    state_before = open(os.path.join(directory, "checkpoint")).read()
    before = files_in(tmp_path)

    def write_half_then_fail(f, arrays):
        f.write(b"half")
        raise OSError("disk full")
    monkeypatch.setattr(ckpt, "write_data", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save_step(directory, 4, 2.0)
    with pytest.raises(OSError, match="disk full"):  # the same prefix again: the old files stay
        ckpt.write_checkpoint(old, {"w": np.zeros(3, np.float32)})

    assert files_in(tmp_path) == before  # no temporary files left behind
    assert open(os.path.join(directory, "checkpoint")).read() == state_before
    np.testing.assert_array_equal(ckpt.read_checkpoint(old)["w"], np.ones(3, np.float32))
    assert ckpt.latest_checkpoint(directory) == old


def test_failure_before_the_index_is_renamed_means_no_checkpoint(tmp_path, monkeypatch):
    directory = str(tmp_path)
    old = save_step(directory, 2, 1.0)
    real_replace = os.replace

    def replace_but_not_the_index(src, dst):
        if dst.endswith(".index"):
            raise OSError("interrupted")
        real_replace(src, dst)
    monkeypatch.setattr(ckpt.os, "replace", replace_but_not_the_index)
    with pytest.raises(OSError, match="interrupted"):
        save_step(directory, 4, 2.0)

    assert not ckpt.checkpoint_exists(os.path.join(directory, "dnn.ckpt-4"))
    assert not any(".tmp-" in name for name in os.listdir(directory))
    assert ckpt.latest_checkpoint(directory) == old
    np.testing.assert_array_equal(ckpt.read_checkpoint(old)["w"], np.ones(3, np.float32))


def test_failure_writing_the_state_file_keeps_the_old_one(tmp_path, monkeypatch):
    directory = str(tmp_path)
    old = save_step(directory, 2, 1.0)
    state_before = open(os.path.join(directory, "checkpoint")).read()

    def failing_replace(src, dst):
        raise OSError("no")
    monkeypatch.setattr(ckpt.os, "replace", failing_replace)
    with pytest.raises(OSError):
        ckpt.update_checkpoint_state(directory, os.path.join(directory, "dnn.ckpt-4"))
    assert open(os.path.join(directory, "checkpoint")).read() == state_before
    assert files_in(tmp_path) == sorted(["checkpoint", "dnn.ckpt-2.data-00000-of-00001",
                                         "dnn.ckpt-2.index", "dnn.ckpt-2.meta"])
    assert ckpt.get_checkpoint_state(directory).model_checkpoint_path == old


KILLED_SAVE = """
import os, sys
import numpy as np
from minitf.train import checkpoint_format as ckpt

def write_then_die(f, arrays):
    f.write(b"x" * 100000)
    f.flush()
    os._exit(9)          # killed mid-save: no except, no finally runs
ckpt.write_data = write_then_die
ckpt.write_checkpoint(os.path.join(sys.argv[1], "m.ckpt"), {"w": np.zeros(3)})
"""


def test_temporary_files_of_killed_saves_are_removed_by_the_next_save(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).parents[2])}
    for _ in range(3):
        subprocess.run([sys.executable, "-c", KILLED_SAVE, str(tmp_path)], env=env, check=False)
    left = [name for name in os.listdir(tmp_path) if ".tmp-" in name]
    # each killed save started by removing what the one before it left: one file is left
    assert len(left) == 1 and left[0].startswith(".m.ckpt.data-00000-of-00001.tmp-")
    running = f".x.index.tmp-{ckpt._HOST}-{os.getppid()}-0123abcd"   # a live process's file
    other_host = ".x.index.tmp-otherhost-999999-0123abcd"
    for name in (running, other_host):
        (tmp_path / name).write_bytes(b"in progress")
    ckpt.write_checkpoint(str(tmp_path / "m.ckpt"), {"w": np.ones(3)})
    assert files_in(tmp_path) == sorted([running, other_host, "m.ckpt.data-00000-of-00001",
                                         "m.ckpt.index"])


def test_checkpoint_exists_and_remove(tmp_path):
    prefix = save_step(str(tmp_path), 7, 0.0)
    assert ckpt.checkpoint_exists(prefix) and not ckpt.checkpoint_exists(str(tmp_path / "zz"))
    ckpt.remove_checkpoint(prefix)
    assert not ckpt.checkpoint_exists(prefix)
    assert files_in(tmp_path) == ["checkpoint"]
    ckpt.remove_checkpoint(prefix)  # removing twice is fine
    assert ckpt.latest_checkpoint(str(tmp_path)) is None  # the state names a removed checkpoint


def test_remove_and_overwrite_take_every_shard(tmp_path):
    shutil.copytree(TF_FILES / "tf1" / "sharded", tmp_path / "sharded")
    prefix = str(tmp_path / "sharded" / "model.ckpt")
    ckpt.write_checkpoint(prefix, {"a": np.zeros(2)})  # one shard now: the two old ones go
    assert [n for n in files_in(tmp_path / "sharded") if ".data-" in n] == [
        "model.ckpt.data-00000-of-00001"]
    ckpt.remove_checkpoint(prefix)
    assert not [n for n in files_in(tmp_path / "sharded") if n.startswith("model.ckpt.")
                and not n.endswith(".meta")]


def test_state_file_text_and_path_spelling(tmp_path, monkeypatch):
    """Saved as ./model/dnn.ckpt-N, the file says dnn.ckpt-N; read back it is ./model/dnn.ckpt-N."""
    monkeypatch.chdir(tmp_path)
    os.makedirs("model")
    ckpt.update_checkpoint_state("./model", "./model/dnn.ckpt-2")
    ckpt.update_checkpoint_state("./model", "./model/dnn.ckpt-4", ["./model/dnn.ckpt-2"])
    assert open("model/checkpoint").read() == (
        'model_checkpoint_path: "dnn.ckpt-4"\n'
        'all_model_checkpoint_paths: "dnn.ckpt-2"\n'
        'all_model_checkpoint_paths: "dnn.ckpt-4"\n')
    state = ckpt.get_checkpoint_state("./model")
    assert state.model_checkpoint_path == "./model/dnn.ckpt-4"
    assert state.all_model_checkpoint_paths == ["./model/dnn.ckpt-2", "./model/dnn.ckpt-4"]
    spelled_without_dot = ckpt.get_checkpoint_state("model").model_checkpoint_path
    assert spelled_without_dot == os.path.join("model", "dnn.ckpt-4")


def test_state_str_matches_tensorflow_probe(tmp_path, monkeypatch):
    """Three saves as in probe_tf1_behaviour.py: m.ckpt, m.ckpt-7, m.ckpt-2."""
    monkeypatch.chdir(tmp_path)
    os.makedirs("probe_ckpt")
    kept: list[str] = []
    for prefix in ("probe_ckpt/m.ckpt", "probe_ckpt/m.ckpt-7", "probe_ckpt/m.ckpt-2"):
        kept.append(prefix)
        ckpt.update_checkpoint_state("probe_ckpt", prefix, kept)
    assert str(ckpt.get_checkpoint_state("probe_ckpt")) == (
        'model_checkpoint_path: "probe_ckpt/m.ckpt-2"\n'
        'all_model_checkpoint_paths: "probe_ckpt/m.ckpt"\n'
        'all_model_checkpoint_paths: "probe_ckpt/m.ckpt-7"\n'
        'all_model_checkpoint_paths: "probe_ckpt/m.ckpt-2"\n')


def test_absolute_paths_stay_absolute(tmp_path):
    directory = str(tmp_path / "abs")
    prefix = save_step(directory, 3, 1.0)
    state_text = open(os.path.join(directory, "checkpoint")).read()
    assert f'model_checkpoint_path: "{prefix}"' in state_text
    assert ckpt.get_checkpoint_state(directory).model_checkpoint_path == prefix
    assert ckpt.latest_checkpoint(directory) == prefix


def test_missing_state_gives_none(tmp_path):
    assert ckpt.get_checkpoint_state(str(tmp_path / "no_such_dir")) is None
    assert ckpt.get_checkpoint_state(str(tmp_path)) is None
    assert ckpt.latest_checkpoint(str(tmp_path)) is None


def test_state_paths_with_quotes_and_non_ascii_round_trip(tmp_path):
    directory = str(tmp_path)
    name = os.path.join(directory, 'r\u00e9sum\u00e9 "v1"\\x.ckpt')
    ckpt.update_checkpoint_state(directory, name)
    text = open(os.path.join(directory, "checkpoint"), encoding="utf-8").read()
    assert r'\303\251' in text and r'\"v1\"' in text and "\\\\x" in text
    assert ckpt.get_checkpoint_state(directory).model_checkpoint_path == name


def test_state_file_from_tensorflow_2_with_timestamps_is_read(tmp_path):
    with open(tmp_path / "checkpoint", "w") as f:
        f.write('model_checkpoint_path: "ckpt-2"\n'
                'all_model_checkpoint_paths: "ckpt-2"\n'
                "all_model_checkpoint_timestamps: 1700000000.5\n"
                "last_preserved_timestamp: 1699999999.0\n")
    state = ckpt.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == os.path.join(str(tmp_path), "ckpt-2")
    assert state.all_model_checkpoint_paths == [os.path.join(str(tmp_path), "ckpt-2")]
