"""TF1's queue-based input pipelines: string_input_producer, TextLineReader, decode_csv, tf.train.batch,
shuffle_batch, FIFOQueue/RandomShuffleQueue, QueueRunner, start_queue_runners and Coordinator.

Names, static shapes, values, orders and error messages below were printed by TensorFlow 1.15.5 for
the same code on the same files (resource numbers such as ``_2_`` in TF's queue names depend on its
threads' timing and are not compared).  Where TensorFlow would block forever, minitf raises
DeadlineExceededError, the class TF raises for a timed-out queue op.
"""
import re

import numpy as np
import pytest

import minitf as tf

SCORES = [[73, 80, 75, 152], [93, 88, 93, 185], [89, 91, 90, 180], [96, 98, 100, 196], [73, 66, 70, 142],
          [53, 46, 55, 101], [69, 74, 77, 149], [47, 56, 60, 115], [87, 79, 90, 175], [79, 70, 88, 164],
          [69, 70, 73, 141], [70, 65, 74, 141], [93, 95, 91, 184], [79, 80, 73, 152], [70, 73, 78, 148],
          [93, 89, 96, 192], [78, 75, 68, 147], [81, 90, 93, 183], [88, 92, 86, 177], [78, 83, 77, 159],
          [82, 86, 90, 177], [86, 82, 89, 175], [78, 83, 85, 175], [76, 83, 71, 149], [96, 93, 95, 192]]
SMALL = "1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15"


@pytest.fixture
def files(tmp_path, monkeypatch):
    """The test's CSV files, in a folder that is the working directory (keys name files as given)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data-01-test-score.csv").write_text("".join(",".join(map(str, r)) + "\n" for r in SCORES))
    (tmp_path / "small.csv").write_text(SMALL)
    (tmp_path / "head.csv").write_text("a,b,c\n1,2,3\n4,5,6\n")
    (tmp_path / "crlf.csv").write_bytes(b"1,2\r\n3,4\r\n")
    (tmp_path / "bad.csv").write_text("1,2,3\nbad,5,6\n7,8,9\n")
    return tmp_path


def _error(run):
    with pytest.raises(tf.errors.OpError) as info:
        run()
    return type(info.value), info.value.message.split("\n")[0]


def _without_number(message):
    return re.sub(r"'_\d+_", "'_N_", message)


# ---- the Korean course's lab-04-4, step by step ------------------------------------------------
def test_lab_04_4_pipeline_names_shapes_and_batches(files):
    filename_queue = tf.train.string_input_producer(["data-01-test-score.csv"], shuffle=False,
                                                    name="filename_queue")
    reader = tf.TextLineReader()
    key, value = reader.read(filename_queue)
    xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
    train_x_batch, train_y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)
    assert (str(key), str(value)) == ('Tensor("ReaderReadV2:0", shape=(), dtype=string)',
                                      'Tensor("ReaderReadV2:1", shape=(), dtype=string)')
    assert [t.name for t in xy] == ["DecodeCSV:0", "DecodeCSV:1", "DecodeCSV:2", "DecodeCSV:3"]
    assert str(train_x_batch) == 'Tensor("batch:0", shape=(10, 3), dtype=float32)'
    assert str(train_y_batch) == 'Tensor("batch:1", shape=(10, 1), dtype=float32)'
    names = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert names["filename_queue"] == "FIFOQueueV2" and names["batch/fifo_queue"] == "FIFOQueueV2"
    assert names["filename_queue/filename_queue_EnqueueMany"] == "QueueEnqueueManyV2"
    assert names["batch/fifo_queue_enqueue"] == "QueueEnqueueV2" and names["batch"] == "QueueDequeueManyV2"
    assert names["batch/packed"] == names["batch/packed_1"] == "Pack"
    assert len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)) == 2 and tf.local_variables() == []
    assert [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == [
        "filename_queue/fraction_of_32_full:0", "batch/fraction_of_32_full:0"]

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    assert len(threads) == 4
    rows = np.array(SCORES, np.float32)
    seen = [sess.run([train_x_batch, train_y_batch]) for _ in range(5)]   # 50 rows: the file twice over
    for step, (x_batch, y_batch) in enumerate(seen):
        expected = rows[[(10 * step + i) % 25 for i in range(10)]]
        np.testing.assert_array_equal(x_batch, expected[:, :3])
        np.testing.assert_array_equal(y_batch, expected[:, 3:])
        assert x_batch.dtype == np.float32
    coord.request_stop()
    coord.join(threads)
    assert coord.should_stop() and not any(t.is_alive() for t in threads)


def _csv_batches(batch_size, num_epochs, allow_smaller=False, filenames=("small.csv",), skip=0):
    """(batches, the OutOfRangeError's message) of keys and columns of the files, as TF's test printed them."""
    queue = tf.train.string_input_producer(list(filenames), num_epochs=num_epochs, shuffle=False)
    key, value = tf.TextLineReader(skip_header_lines=skip).read(queue)
    cols = tf.decode_csv(value, [[0], [0.], [0.]])
    fetch = tf.train.batch([key, cols[0], tf.stack(cols[1:])], batch_size, allow_smaller_final_batch=allow_smaller)
    batches, message = [], None
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        try:
            for _ in range(20):
                k, a, b = sess.run(fetch)
                batches.append((k.tolist(), a.tolist(), b.tolist()))
        except tf.errors.OutOfRangeError as e:
            message = _without_number(e.message.split("\n")[0])
        finally:
            coord.request_stop()
        coord.join(threads)
    return fetch, batches, message


def test_one_epoch_in_order_then_out_of_range(files):
    fetch, batches, message = _csv_batches(2, 1)
    assert [str(t) for t in fetch] == ['Tensor("batch:0", shape=(2,), dtype=string)',
                                       'Tensor("batch:1", shape=(2,), dtype=int32)',
                                       'Tensor("batch:2", shape=(2, 2), dtype=float32)']
    assert batches == [([b"small.csv:1", b"small.csv:2"], [1, 4], [[2.0, 3.0], [5.0, 6.0]]),
                       ([b"small.csv:3", b"small.csv:4"], [7, 10], [[8.0, 9.0], [11.0, 12.0]])]
    assert message == ("FIFOQueue '_N_batch/fifo_queue' is closed and has insufficient elements "
                       "(requested 1, current size 0)")
    assert [v.name for v in tf.local_variables()] == ["input_producer/limit_epochs/epochs:0"]


def test_allow_smaller_final_batch_gives_the_rest(files):
    fetch, batches, message = _csv_batches(2, 1, allow_smaller=True)
    assert str(fetch[2]) == 'Tensor("batch:2", shape=(?, 2), dtype=float32)'
    assert batches[-1] == ([b"small.csv:5"], [13], [[14.0, 15.0]]) and len(batches) == 3
    assert message == ("FIFOQueue '_N_batch/fifo_queue' is closed and has insufficient elements "
                       "(requested 2, current size 0)")


def test_epochs_run_on_across_batches_and_forever_without_num_epochs(files):
    _, batches, _ = _csv_batches(4, 2)
    assert [b[1] for b in batches] == [[1, 4, 7, 10], [13, 1, 4, 7]]
    _, batches, message = _csv_batches(3, None)
    assert [b[1] for b in batches[:4]] == [[1, 4, 7], [10, 13, 1], [4, 7, 10], [13, 1, 4]]
    assert len(batches) == 20 and message is None


def test_header_lines_keys_and_files_in_order(files):
    _, batches, _ = _csv_batches(2, 1, filenames=["small.csv", "head.csv"], skip=1)
    assert [b[0] for b in batches] == [[b"small.csv:2", b"small.csv:3"], [b"small.csv:4", b"small.csv:5"],
                                       [b"head.csv:2", b"head.csv:3"]]


def test_readers_read_crlf_lines_whole_files_and_report_missing_ones(files):
    queue = tf.train.string_input_producer(["crlf.csv", "missing.csv"], shuffle=False)
    key, value = tf.TextLineReader().read(queue)
    whole_queue = tf.train.string_input_producer(["small.csv"], num_epochs=1)
    whole = tf.WholeFileReader().read(whole_queue)
    assert str(whole[1]) == 'Tensor("ReaderReadV2_1:1", shape=(), dtype=string)'
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        tf.train.start_queue_runners(sess)
        assert sess.run([key, value]) == [b"crlf.csv:1", b"1,2"]
        assert sess.run([key, value]) == [b"crlf.csv:2", b"3,4"]
        assert _error(lambda: sess.run(key)) == (tf.errors.NotFoundError, "missing.csv; No such file or directory")
        assert sess.run(whole) == [b"small.csv", SMALL.encode()]
        kind, message = _error(lambda: sess.run(whole))
    assert kind is tf.errors.OutOfRangeError and _without_number(message) == (
        "FIFOQueue '_N_input_producer_1' is closed and has insufficient elements (requested 1, current size 0)")


# ---- without runners, with errors -----------------------------------------------------------------
def test_a_dequeue_without_started_runners_says_what_to_call(files):
    queue = tf.train.string_input_producer(["small.csv"])
    _, value = tf.TextLineReader().read(queue)
    batch = tf.train.batch([value], 2)
    assert str(batch) == 'Tensor("batch:0", shape=(2,), dtype=string)'   # one tensor: a list of one, as TF
    with tf.Session() as sess:
        kind, message = _error(lambda: sess.run(batch))
        assert kind is tf.errors.DeadlineExceededError and "tf.train.start_queue_runners(sess)" in message
        tf.train.start_queue_runners(sess)
        assert sess.run(batch).tolist() == [b"1,2,3", b"4,5,6"]


def test_a_failing_runner_stops_the_coordinator_and_join_raises_its_error(files):
    queue = tf.train.string_input_producer(["bad.csv"], shuffle=False, num_epochs=1)
    _, value = tf.TextLineReader().read(queue)
    batch = tf.train.batch(tf.decode_csv(value, [[0], [0], [0]]), 2)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        kind, message = _error(lambda: sess.run(batch))
        assert kind is tf.errors.OutOfRangeError and _without_number(message) == (
            "FIFOQueue '_N_batch/fifo_queue' is closed and has insufficient elements (requested 1, current size 0)")
        assert coord.should_stop()
        with pytest.raises(tf.errors.InvalidArgumentError, match="Field 0 in record 0 is not a valid int32: bad"):
            coord.join(threads)


def test_a_failing_runner_without_coordinator_raises_at_once(files):
    queue = tf.train.string_input_producer(["bad.csv"], shuffle=False)
    _, value = tf.TextLineReader().read(queue)
    batch = tf.train.batch(tf.decode_csv(value, [[0], [0], [0]]), 2)
    with tf.Session() as sess:
        tf.train.start_queue_runners(sess)
        assert _error(lambda: sess.run(batch)) == (tf.errors.InvalidArgumentError,
                                                   "Field 0 in record 0 is not a valid int32: bad")


# ---- shuffling -----------------------------------------------------------------------------------
def test_shuffle_batch_names_shapes_and_every_example_once_per_epoch(files):
    queue = tf.train.string_input_producer(["small.csv", "head.csv"], num_epochs=3, seed=1)
    _, value = tf.TextLineReader(skip_header_lines=1).read(queue)
    a, b, c = tf.decode_csv(value, [[0], [0], [0]])
    xb, yb = tf.train.shuffle_batch([tf.stack([a, b]), c], batch_size=4, capacity=10, min_after_dequeue=3, seed=2,
                                    allow_smaller_final_batch=True)
    assert (str(xb), str(yb)) == ('Tensor("shuffle_batch:0", shape=(?, 2), dtype=int32)',
                                  'Tensor("shuffle_batch:1", shape=(?,), dtype=int32)')
    assert tf.get_collection(tf.GraphKeys.SUMMARIES)[-1].name == "shuffle_batch/fraction_over_3_of_7_full:0"
    assert tf.get_default_graph().get_operation_by_name("shuffle_batch/random_shuffle_queue").type == \
        "RandomShuffleQueueV2"
    firsts = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        try:
            while not coord.should_stop():
                x, y = sess.run([xb, yb])
                assert (x[:, 0] + 2 == y).all() and (x[:, 1] + 1 == y).all()   # rows stay whole
                firsts.extend(x[:, 0].tolist())
        except tf.errors.OutOfRangeError as e:
            assert "is closed and has insufficient elements (requested 4, current size 0)" in e.message
        finally:
            coord.request_stop()
        coord.join(threads)
    assert sorted(firsts) == sorted([4, 7, 10, 13, 1, 4] * 3)   # small.csv and head.csv after their headers
    assert firsts != sorted(firsts)


def test_string_input_producer_shuffles_the_file_names_each_epoch(files):
    names = [f"f{i}.csv" for i in range(8)]
    queue = tf.train.string_input_producer(names, num_epochs=2, seed=3)
    name = queue.dequeue()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        tf.train.start_queue_runners(sess)
        got = [sess.run(name).decode() for _ in range(16)]
        assert _error(lambda: sess.run(name))[0] is tf.errors.OutOfRangeError
    assert sorted(got[:8]) == sorted(got[8:]) == names and got[:8] != names


def test_slice_input_producer_and_batches_of_its_rows():
    x, y = tf.train.slice_input_producer([tf.constant([[1, 2], [3, 4], [5, 6]]), tf.constant([10, 20, 30])],
                                         num_epochs=1, shuffle=False)
    assert (str(x), str(y)) == ('Tensor("input_producer/GatherV2:0", shape=(2,), dtype=int32)',
                                'Tensor("input_producer/GatherV2_1:0", shape=(), dtype=int32)')
    batch = tf.train.batch([x, y], 2, allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with sess.as_default():
            tf.train.start_queue_runners()
        first, second = sess.run(batch), sess.run(batch)
    assert first[0].tolist() == [[1, 2], [3, 4]] and first[1].tolist() == [10, 20]
    assert second[0].tolist() == [[5, 6]] and second[1].tolist() == [30]


def test_batch_arguments_as_tf1():
    assert str(tf.train.batch([tf.constant([1., 2.])], 3, enqueue_many=True)) == \
        'Tensor("batch:0", shape=(3,), dtype=float32)'
    named = tf.train.batch({"b": tf.constant(1), "a": tf.constant([2, 3])}, 4)
    assert {k: str(v) for k, v in named.items()} == {
        "a": "Tensor(\"batch_1:0\", shape=(4, 2), dtype=int32)", "b": "Tensor(\"batch_1:1\", shape=(4,), dtype=int32)"}
    with pytest.raises(ValueError, match=re.escape("All shapes must be fully defined: "
                                                   "[TensorShape([Dimension(None)])]")):
        tf.train.batch([tf.placeholder(tf.float32, [None])], 3)
    with pytest.raises(ValueError, match="capacity 5 must be bigger than min_after_dequeue 5."):
        tf.train.shuffle_batch([tf.constant(1)], 3, capacity=5, min_after_dequeue=5)
    with pytest.raises(ValueError, match="string_input_producer requires a non-null input tensor"):
        tf.train.string_input_producer([])
    with pytest.raises(ValueError, match="num_epochs must be > 0 not 0."):
        tf.train.string_input_producer(["a"], num_epochs=0)
    with pytest.raises(ValueError, match="Cannot start queue runners: No default session is registered"):
        tf.train.start_queue_runners()


# ---- queues themselves ---------------------------------------------------------------------------
def test_fifo_queue_ops_names_values_and_errors():
    q = tf.FIFOQueue(3, tf.float32, shapes=[[]])
    enq, one = q.enqueue_many([[1., 2., 3.]]), q.enqueue(7.)
    d, dm, du = q.dequeue(), q.dequeue_many(2), q.dequeue_up_to(5)
    assert (q.name, q.dtypes, enq.name, one.name) == ("fifo_queue", [tf.float32], "fifo_queue_EnqueueMany",
                                                      "fifo_queue_enqueue")
    assert [str(t) for t in (d, dm, du, q.size())] == [
        'Tensor("fifo_queue_Dequeue:0", shape=(), dtype=float32)',
        'Tensor("fifo_queue_DequeueMany:0", shape=(2,), dtype=float32)',
        'Tensor("fifo_queue_DequeueUpTo:0", shape=(?,), dtype=float32)',
        'Tensor("fifo_queue_Size:0", shape=(), dtype=int32)']
    assert (q.close().name, q.close(True).name) == ("fifo_queue_Close", "fifo_queue_Close_1")
    sess = tf.Session()
    sess.run(enq)
    assert sess.run(d) == 1.0 and sess.run(q.size()) == 2
    assert sess.run(dm).tolist() == [2.0, 3.0]
    kind, message = _error(lambda: sess.run(dm))
    assert kind is tf.errors.DeadlineExceededError and "would wait forever" in message
    sess.run(one)
    kind, message = _error(lambda: sess.run(q.enqueue_many([[1., 2., 3.]])))
    assert kind is tf.errors.DeadlineExceededError and "is full (capacity 3, size 1)" in message
    sess.run(q.close())
    assert [(k, _without_number(m)) for k, m in [_error(lambda: sess.run(one)), _error(lambda: sess.run(dm))]] == [
        (tf.errors.CancelledError, "FIFOQueue '_N_fifo_queue' is closed."),
        (tf.errors.OutOfRangeError, ("FIFOQueue '_N_fifo_queue' is closed and has insufficient elements "
                                     "(requested 2, current size 1)"))]
    assert sess.run(du).tolist() == [7.0]
    assert _without_number(_error(lambda: sess.run(d))[1]) == (
        "FIFOQueue '_N_fifo_queue' is closed and has insufficient elements (requested 1, current size 0)")


def test_queues_of_several_components_names_and_unknown_shapes():
    q = tf.FIFOQueue(5, [tf.int32, tf.string], shapes=[[2], []])
    enq = q.enqueue_many([[[1, 2], [3, 4]], ["a", "b"]])
    assert [str(t) for t in q.dequeue()] == ['Tensor("fifo_queue_Dequeue:0", shape=(2,), dtype=int32)',
                                             'Tensor("fifo_queue_Dequeue:1", shape=(), dtype=string)']
    batch = q.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(enq)
        numbers, strings = sess.run(batch)
    assert numbers.tolist() == [[1, 2], [3, 4]] and strings.tolist() == [b"a", b"b"]
    with pytest.raises(ValueError, match=re.escape("Shapes (3,) and (2,) are incompatible")):
        q.enqueue([[1, 2, 3], "a"])
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.FIFOQueue(5, [tf.int32], shapes=[[None]])
    named = tf.FIFOQueue(5, tf.float32, names="x")
    assert repr(named.dequeue()) == "{'x': <tf.Tensor 'fifo_queue_1_Dequeue:0' shape=<unknown> dtype=float32>}"
    unshaped = tf.FIFOQueue(5, tf.float32)
    with tf.Session() as sess:
        sess.run(unshaped.enqueue(1.0))
        assert _error(lambda: sess.run(unshaped.dequeue_many(1))) == (
            tf.errors.InvalidArgumentError,
            "FIFOQueue's DequeueMany and DequeueUpTo require the components to have specified shapes.")


def test_random_shuffle_queue_keeps_min_after_dequeue():
    q = tf.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]], seed=3)
    assert str(q.dequeue_many(3)) == 'Tensor("random_shuffle_queue_DequeueMany:0", shape=(3,), dtype=int32)'
    with tf.Session() as sess:
        sess.run(q.enqueue_many([list(range(6))]))
        first = sess.run(q.dequeue_many(4)).tolist()
        assert _error(lambda: sess.run(q.dequeue()))[0] is tf.errors.DeadlineExceededError   # 2 must stay
        sess.run(q.close())
        rest = sess.run(q.dequeue_up_to(5)).tolist()
    assert sorted(first + rest) == list(range(6)) and len(rest) == 2


# ---- decode_csv ----------------------------------------------------------------------------------
def test_decode_csv_values_dtypes_and_defaults():
    out = tf.decode_csv(["1,2.5,abc,7", ",,,", ' 3, 4,"x,""y""",'], [[0], [1.5], ["z"], [tf.constant(9, tf.int64)]])
    assert [str(t) for t in out] == ['Tensor("DecodeCSV:0", shape=(3,), dtype=int32)',
                                     'Tensor("DecodeCSV:1", shape=(3,), dtype=float32)',
                                     'Tensor("DecodeCSV:2", shape=(3,), dtype=string)',
                                     'Tensor("DecodeCSV:3", shape=(3,), dtype=int64)']
    with tf.Session() as sess:
        ints, floats, strings, longs = sess.run(out)
        assert ints.tolist() == [1, 0, 3] and floats.tolist() == [2.5, 1.5, 4.0]
        assert strings.tolist() == [b"abc", b"z", b'x,"y"'] and longs.tolist() == [7, 9, 9]
        assert longs.dtype == np.int64 and floats.dtype == np.float32
        semi = tf.decode_csv("1;NA", [[0.], [7]], field_delim=";", na_value="NA", name="parse")
        assert [t.name for t in semi] == ["parse:0", "parse:1"] and sess.run(semi) == [1.0, 7]
        assert sess.run(tf.decode_csv("1,2,3", [[0.], [0]], select_cols=[0, 2])) == [1.0, 3]
        special = sess.run(tf.decode_csv("nan,inf,1e3", [[0.], [0.], [0.]]))
        assert np.isnan(special[0]) and special[1:] == [np.inf, 1000.0]


@pytest.mark.parametrize("record, defaults, message", [
    ("1,2,3", [[0.], [0.]], "Expect 2 fields but have 3 in record 0"),
    ("", [[0.]], "Expect 1 fields but have 0 in record 0"),
    ("x,2", [[0.], [0.]], "Field 0 in record 0 is not a valid float: x"),
    ("1.5,2", [[0], [0.]], "Field 0 in record 0 is not a valid int32: 1.5"),
    ("1e3,0x10", [[0.], [0]], "Field 1 in record 0 is not a valid int32: 0x10"),
    (",2", [[], [0.]], "Field 0 is required but missing in record 0!"),
    ('"ab,2', [["x"], ["y"]], "Quoted field has to end with quote followed by delim or end"),
    ('a,"b"c', [["x"], ["y"]], "Quote inside a string has to be escaped by another quote"),
    (' "a",b', [["x"], ["y"]], "Unquoted fields cannot have quotes/CRLFs inside"),
    ("1,2\r", [[0.], [0.]], "Unquoted fields cannot have quotes/CRLFs inside"),
])
def test_decode_csv_errors_as_tf1(record, defaults, message):
    defaults = [tf.constant([], tf.float32) if d == [] else d for d in defaults]
    out = tf.decode_csv(record, defaults)
    with tf.Session() as sess:
        assert _error(lambda: sess.run(out)) == (tf.errors.InvalidArgumentError, message)


def test_decode_csv_refuses_bad_defaults_while_building():
    with pytest.raises(ValueError, match="Shape of a default must be a length-0 or length-1 vector, or a scalar"):
        tf.decode_csv("1,2", [[0., 1.], [0.]])
    with pytest.raises(ValueError, match="Shape must be at most rank 1 but is rank 2"):
        tf.decode_csv("1,2", [[[0.]], [0.]])
    with pytest.raises(TypeError, match="Value passed to parameter 'record_defaults' has DataType bool not in list "
                                        "of allowed values: float32, float64, int32, int64, string"):
        tf.decode_csv("1,2", [[True], [0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="field_delim should be only 1 char"):
        tf.Session().run(tf.decode_csv("1,2", [[0.], [0.]], field_delim=";;"))


# ---- Coordinator -----------------------------------------------------------------------------------
def test_coordinator_stops_and_reports_the_first_error():
    coord = tf.train.Coordinator()
    assert not coord.should_stop()
    with coord.stop_on_exception():
        raise tf.errors.OutOfRangeError(None, None, "done")   # a clean stop: nothing to report
    assert coord.should_stop()
    coord.join()
    coord.clear_stop()
    with coord.stop_on_exception():
        raise ValueError("boom")
    coord.request_stop(RuntimeError("later"))               # only the first error is kept
    with pytest.raises(ValueError, match="boom"):
        coord.join([])
    assert coord.joined


def test_count_up_to_ends_with_out_of_range():
    v = tf.Variable(0, name="counter")
    up = tf.count_up_to(v, 2)
    assert str(up) == 'Tensor("CountUpTo:0", shape=(), dtype=int32)'
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert [sess.run(up), sess.run(up)] == [0, 1]
        assert _error(lambda: sess.run(up)) == (tf.errors.OutOfRangeError, "Reached limit of 2")


def test_a_pipeline_graph_exports_as_a_graph_def(files):
    """TensorBoard's FileWriter and tf.train.write_graph store these ops' attrs (TF's kinds of attr)."""
    queue = tf.train.string_input_producer(["small.csv"], num_epochs=1)
    _, value = tf.TextLineReader(skip_header_lines=1).read(queue)
    tf.train.shuffle_batch(tf.decode_csv(value, [[0.], [""], [0]]), 2, capacity=10, min_after_dequeue=2)
    tf.FIFOQueue(3, tf.float32).dequeue()
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert nodes["shuffle_batch"].op == "QueueDequeueManyV2"
    assert [tf.as_dtype(t) for t in nodes["shuffle_batch"].attr["component_types"].list.type] == [
        tf.float32, tf.string, tf.int32]
    assert nodes["shuffle_batch/random_shuffle_queue"].attr["min_after_dequeue"].i == 2
    assert nodes["TextLineReaderV2"].attr["skip_header_lines"].i == 1
    assert list(nodes["fifo_queue"].attr["shapes"].list.shape) == []
