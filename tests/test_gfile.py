"""tf.gfile and tf.io.gfile on local files: results, error classes and messages.

Every expected value and message below is what TensorFlow 1.15.5 returned or raised for the
same calls on the same files.
"""
from __future__ import annotations

import os

import pytest

import minitf as tf


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A small folder tree, made the current directory: a/b/c.txt, a/b/.hid, a/bb/c.txt, a/d.txt, e.txt."""
    monkeypatch.chdir(tmp_path)
    for path in ["a/b/c.txt", "a/b/.hid", "a/bb/c.txt", "a/d.txt", "e.txt"]:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as f:
            f.write("hello\nworld\n")
    return tmp_path


def raises(cls, message, fn, *args, **kwargs):
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message
    assert isinstance(info.value, tf.errors.OpError)


def test_tf_io_gfile_and_tf_gfile_are_the_same_functions():
    assert tf.io.gfile.GFile is tf.gfile.GFile is tf.gfile.Open
    assert tf.io.gfile.exists is tf.gfile.Exists and tf.io.gfile.rmtree is tf.gfile.DeleteRecursively
    assert tf.compat.v1.gfile.MakeDirs is tf.gfile.MakeDirs


def test_exists_isdir_and_listdir(tree):
    assert tf.gfile.Exists("a/d.txt") and tf.gfile.Exists("a") and not tf.gfile.Exists("nope")
    assert not tf.gfile.Exists("e.txt/x") and not tf.gfile.Exists("")
    assert (tf.gfile.IsDirectory("a"), tf.gfile.IsDirectory("a/"), tf.gfile.IsDirectory("e.txt")) == (True, True, False)
    assert sorted(tf.gfile.ListDirectory("a")) == ["b", "bb", "d.txt"]
    assert sorted(tf.gfile.ListDirectory(b"a/")) == ["b", "bb", "d.txt"]
    raises(tf.errors.NotFoundError, "Could not find directory nope", tf.gfile.ListDirectory, "nope")
    raises(tf.errors.NotFoundError, "Could not find directory e.txt", tf.io.gfile.listdir, "e.txt")


def test_makedirs_and_mkdir(tree):
    tf.gfile.MakeDirs("x/y/z")
    tf.gfile.MakeDirs("x/y/z")           # exists: fine
    tf.gfile.MakeDirs("e.txt")           # a file exists there: TF says fine too
    tf.gfile.MakeDirs("")                # os.path.dirname("model.ckpt")
    assert os.path.isdir("x/y/z")
    tf.gfile.MkDir("x/w")
    tf.gfile.MkDir("x/w")
    assert os.path.isdir("x/w")
    raises(tf.errors.NotFoundError, "q/r; No such file or directory", tf.gfile.MkDir, "q/r")
    raises(tf.errors.FailedPreconditionError, "e.txt/q; Not a directory", tf.io.gfile.makedirs, "e.txt/q")


def test_remove_and_delete_recursively(tree):
    tf.gfile.Remove("a/d.txt")
    assert not os.path.exists("a/d.txt")
    raises(tf.errors.NotFoundError, "a/d.txt; No such file or directory", tf.gfile.Remove, "a/d.txt")
    raises(tf.errors.FailedPreconditionError, "a/b; Is a directory", tf.gfile.Remove, "a/b")
    raises(tf.errors.FailedPreconditionError, "e.txt; Not a directory", tf.gfile.DeleteRecursively, "e.txt")
    assert os.path.exists("e.txt")
    raises(tf.errors.NotFoundError, "nope not found", tf.gfile.DeleteRecursively, "nope")
    tf.gfile.DeleteRecursively("a")
    assert not os.path.exists("a")


def test_copy(tree):
    tf.gfile.Copy("e.txt", "a/copy.txt")
    assert open("a/copy.txt").read() == "hello\nworld\n"
    raises(tf.errors.AlreadyExistsError, "file already exists", tf.gfile.Copy, "a/d.txt", "a/copy.txt")
    with open("a/d.txt", "w") as f:
        f.write("new")
    tf.io.gfile.copy("a/d.txt", "a/copy.txt", overwrite=True)
    assert open("a/copy.txt").read() == "new"
    raises(tf.errors.NotFoundError, "a/nope; No such file or directory", tf.gfile.Copy, "a/nope", "a/x")
    raises(tf.errors.FailedPreconditionError, "a/b; Is a directory", tf.gfile.Copy, "e.txt", "a/b", overwrite=True)
    raises(tf.errors.NotFoundError, "zz/y.txt; No such file or directory", tf.gfile.Copy, "e.txt", "zz/y.txt")


def test_rename(tree):
    tf.gfile.Rename("e.txt", "a/moved.txt")
    assert os.path.exists("a/moved.txt") and not os.path.exists("e.txt")
    raises(tf.errors.AlreadyExistsError, "file already exists", tf.gfile.Rename, "a/d.txt", "a/moved.txt")
    tf.io.gfile.rename("a/d.txt", "a/moved.txt", overwrite=True)
    assert not os.path.exists("a/d.txt")
    raises(tf.errors.NotFoundError, "a/nope; No such file or directory", tf.gfile.Rename, "a/nope", "a/x")
    tf.gfile.Rename("a/bb", "a/cc")      # a directory moves too
    assert os.path.isdir("a/cc")
    raises(tf.errors.FailedPreconditionError, "a/cc; Directory not empty", tf.gfile.Rename, "a/cc", "a/b",
           overwrite=True)


def test_glob_matches_within_a_component_and_keeps_the_pattern_s_folder(tree):
    assert sorted(tf.gfile.Glob("a/*")) == ["a/b", "a/bb", "a/d.txt"]
    assert sorted(tf.gfile.Glob("a/b/*")) == ["a/b/.hid", "a/b/c.txt"]       # dot files too
    assert sorted(tf.gfile.Glob("a/*/c.txt")) == ["a/b/c.txt", "a/bb/c.txt"]
    assert sorted(tf.gfile.Glob("*/*/c.txt")) == ["./a/b/c.txt", "./a/bb/c.txt"]
    assert sorted(tf.gfile.Glob("*")) == ["./a", "./e.txt"]
    assert tf.gfile.Glob("e.txt") == ["./e.txt"] and tf.gfile.Glob("a/d.txt") == ["a/d.txt"]
    assert tf.gfile.Glob("a/?.txt") == ["a/d.txt"] and sorted(tf.gfile.Glob("a/[bc]*")) == ["a/b", "a/bb"]
    assert tf.gfile.Glob("a/b/\\.hid") == ["a/b/.hid"] and tf.gfile.Glob("a/b/") == []
    assert tf.gfile.Glob("a/nn.txt") == [] and tf.gfile.Glob("") == []
    assert sorted(tf.io.gfile.glob(["a/*.txt", "*.txt"])) == ["./e.txt", "a/d.txt"]
    assert tf.gfile.Glob(str(tree / "a" / "*.txt")) == [str(tree / "a" / "d.txt")]
    raises(tf.errors.NotFoundError, "zz; No such file or directory", tf.gfile.Glob, "zz/*")
    raises(tf.errors.FailedPreconditionError, "e.txt; Not a directory", tf.gfile.Glob, "e.txt/*")


def test_walk_top_down_and_bottom_up(tree):
    def listed(walk):
        return [(d, sorted(s), sorted(f)) for d, s, f in walk]

    top_down = [("a", ["b", "bb"], ["d.txt"]), ("a/b", [], [".hid", "c.txt"]), ("a/bb", [], ["c.txt"])]
    for walk in (tf.gfile.Walk("a"), tf.io.gfile.walk("a")):        # a folder before its subfolders
        walked = listed(walk)
        assert walked[0] == top_down[0] and sorted(walked) == top_down
    for walk in (tf.gfile.Walk("a", in_order=False), tf.io.gfile.walk("a", topdown=False)):   # after them
        walked = listed(walk)
        assert walked[-1] == top_down[0] and sorted(walked) == top_down
    assert listed(tf.gfile.Walk("a/"))[0] == ("a/", ["b", "bb"], ["d.txt"])
    assert list(tf.gfile.Walk("nope")) == [] and list(tf.gfile.Walk("e.txt")) == []
    seen = []
    assert list(tf.io.gfile.walk("nope", onerror=seen.append)) == []
    assert [type(e) for e in seen] == [tf.errors.NotFoundError]


def test_stat(tree):
    info = tf.gfile.Stat("e.txt")
    assert (info.length, info.is_directory) == (12, False)
    assert info.mtime_nsec == int(os.stat("e.txt").st_mtime) * 10**9   # whole seconds, as TF's POSIX Stat
    assert tf.io.gfile.stat("a").is_directory
    raises(tf.errors.NotFoundError, "nope; No such file or directory", tf.gfile.Stat, "nope")


def test_gfile_reads_str_in_text_modes_and_bytes_in_binary_modes(tree):
    assert tf.gfile.GFile("e.txt").read() == "hello\nworld\n"
    assert tf.gfile.GFile("e.txt", "rb").read() == b"hello\nworld\n"
    assert tf.gfile.GFile("e.txt").read(3) == "hel"
    assert tf.gfile.GFile("e.txt").readline() == "hello\n"
    assert tf.gfile.GFile("e.txt").readlines() == ["hello\n", "world\n"]
    assert tf.gfile.GFile("e.txt", "rb").readlines() == [b"hello\n", b"world\n"]
    assert list(tf.gfile.Open("e.txt")) == ["hello\n", "world\n"]
    assert tf.gfile.FastGFile("e.txt", "rb").read() == b"hello\nworld\n"
    f = tf.gfile.GFile("e.txt", "rb")
    assert (f.name, f.mode, f.size(), f.seekable()) == ("e.txt", "rb", 12, True)


def test_gfile_seek_and_tell(tree):
    f = tf.gfile.GFile("e.txt")
    f.seek(2)
    assert (f.read(3), f.tell()) == ("llo", 5)
    f.seek(-2, 2)
    assert f.read() == "d\n"
    f.seek(0)
    assert f.read(5) == "hello"
    f.seek(12)
    assert f.read() == ""
    raises(tf.errors.OutOfRangeError, "reached end of file", f.seek, 13)
    raises(tf.errors.InvalidArgumentError, "Seeking to a negative position: -1", f.seek, -1)
    raises(tf.errors.InvalidArgumentError, "Invalid whence argument: 3. Valid values are 0, 1, or 2.", f.seek, 0, 3)
    with pytest.raises(TypeError, match="offset argument required"):
        f.seek()


def test_gfile_writes_lazily_and_appends(tree):
    f = tf.gfile.GFile("new.txt", "w")
    assert not os.path.exists("new.txt")     # opened at the first write
    f.write("abc")
    f.write(b"def")
    assert f.tell() == 6
    f.flush()
    assert open("new.txt").read() == "abcdef"
    f.close()
    with tf.io.gfile.GFile("new.txt", "a") as f:
        f.write("\nmore")
    assert open("new.txt").read() == "abcdef\nmore"
    with tf.gfile.GFile("new.bin", "wb") as f:
        f.write("text")
        f.write(b"\x00\xff")
    assert open("new.bin", "rb").read() == b"text\x00\xff"
    assert tf.gfile.GFile("new.txt", "w+").read() == "abcdef\nmore"   # w+ truncates only when it writes
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        tf.gfile.GFile("new.txt", "w").write(3)


def test_gfile_errors(tree):
    raises(tf.errors.InvalidArgumentError, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'",
           tf.gfile.GFile, "e.txt", "x")
    missing = tf.gfile.GFile("missing.txt")   # no error until it reads
    raises(tf.errors.NotFoundError, "missing.txt; No such file or directory", missing.read)
    raises(tf.errors.PermissionDeniedError, "File isn't open for writing", tf.gfile.GFile("e.txt").write, "x")
    raises(tf.errors.PermissionDeniedError, "File isn't open for reading", tf.gfile.GFile("z.txt", "w").read)
    raises(tf.errors.FailedPreconditionError, "a; Is a directory", tf.gfile.GFile("a").read)
    raises(tf.errors.NotFoundError, "nodir/x.txt; No such file or directory", tf.gfile.GFile("nodir/x.txt", "w").write,
           "x")
