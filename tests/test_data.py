"""tf.data in TF1 graphs (minitf/data.py): datasets, their iterators' ops, and training from get_next().

Reprs, shapes, dtypes, values and error messages are those TensorFlow 1.15.5 printed for the same code.
(minitf.v2 iterates the same Dataset eagerly: tests/v2/test_v2_data.py.)
"""
import numpy as np
import pytest

import minitf as tf

X = np.arange(10, dtype=np.float32).reshape(5, 2)
Y = np.array([0, 1, 0, 1, 1])


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_datasets_say_their_element_shapes_and_types_as_tf1():
    pairs = tf.data.Dataset.from_tensor_slices((X, Y))
    assert repr(pairs) == "<DatasetV1Adapter shapes: ((2,), ()), types: (tf.float32, tf.int64)>"
    batches = pairs.shuffle(5, seed=1).batch(2)
    assert repr(batches) == "<DatasetV1Adapter shapes: ((?, 2), (?,)), types: (tf.float32, tf.int64)>"
    assert batches.output_types == (tf.float32, tf.int64)
    assert [s.as_list() for s in batches.output_shapes] == [[None, 2], [None]]
    assert batches.output_classes == (tf.Tensor, tf.Tensor)
    assert repr(tf.data.Dataset.range(3)) == "<DatasetV1Adapter shapes: (), types: tf.int64>"
    assert repr(tf.data.Dataset.from_tensors([1., 2.])) == "<DatasetV1Adapter shapes: (2,), types: tf.float32>"
    assert repr(tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [[1.], [2.]]})) == (
        "<DatasetV1Adapter shapes: {a: (), b: (1,)}, types: {a: tf.int32, b: tf.float32}>")
    assert repr(pairs.map(lambda a, c: (a[0], tf.cast(c, tf.float32)))) == (
        "<DatasetV1Adapter shapes: ((), ()), types: (tf.float32, tf.float32)>")
    assert repr(pairs.batch(2, drop_remainder=True)) == (
        "<DatasetV1Adapter shapes: ((2, 2), (2,)), types: (tf.float32, tf.int64)>")


def test_a_one_shot_iterator_gives_the_next_batch_at_every_run_then_out_of_range():
    images, labels = tf.data.Dataset.from_tensor_slices((X, Y)).batch(2).make_one_shot_iterator().get_next()
    assert repr(images) == "<tf.Tensor 'IteratorGetNext:0' shape=(?, 2) dtype=float32>"
    assert repr(labels) == "<tf.Tensor 'IteratorGetNext:1' shape=(?,) dtype=int64>"
    with tf.Session() as sess:
        for start in (0, 2, 4):
            got_x, got_y = sess.run([images, labels])
            np.testing.assert_array_equal(got_x, X[start:start + 2])
            np.testing.assert_array_equal(got_y, Y[start:start + 2])
        with pytest.raises(tf.errors.OutOfRangeError, match=r"^End of sequence\n\t \[\[node IteratorGetNext"):
            sess.run(images)
    with tf.Session() as sess:   # a new session starts the dataset again
        np.testing.assert_array_equal(sess.run(images), X[:2])


def test_an_initializable_iterator_reads_its_placeholders_when_initialised():
    x = tf.placeholder(tf.float32, [None, 2])
    dataset = tf.data.Dataset.from_tensor_slices(x).map(lambda row: row * 2).batch(4).repeat(2)
    assert repr(dataset) == "<DatasetV1Adapter shapes: (?, 2), types: tf.float32>"
    iterator = dataset.make_initializable_iterator()
    batch = iterator.get_next()
    assert iterator.initializer.name == "MakeIterator" and iterator.initializer.type == "MakeIterator"
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match=(
                r"^GetNext\(\) failed because the iterator has not been initialized. Ensure that you have run the "
                r"initializer operation for this iterator before getting the next element.")):
            sess.run(batch)
        sess.run(iterator.initializer, {x: X})
        for expected in (X[:4], X[4:], X[:4], X[4:]):
            np.testing.assert_array_equal(sess.run(batch), expected * 2)
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(batch)
        sess.run(iterator.initializer, {x: X[:1]})      # initialised again, on other data
        np.testing.assert_array_equal(sess.run(batch), X[:1] * 2)
    with pytest.raises(ValueError, match=r"^Cannot capture a placeholder \(name:Placeholder, type:Placeholder\) "
                                         r"by value.$"):
        dataset.make_one_shot_iterator()
    with pytest.raises(RuntimeError, match="only supported inside of tf.function or when eager execution"):
        iter(dataset)


def test_one_iterator_from_structure_serves_a_training_and_a_test_dataset():
    train = tf.data.Dataset.from_tensor_slices((X, Y)).batch(5)
    test = tf.data.Dataset.from_tensor_slices((X[:2] + 100, Y[:2])).batch(5)
    iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    images, labels = iterator.get_next()
    assert images.shape.as_list() == [None, 2] and labels.dtype == tf.int64
    on_train, on_test = iterator.make_initializer(train), iterator.make_initializer(test, name="test_init")
    assert on_train.name == "make_initializer" and on_test.name == "test_init"
    with tf.Session() as sess:
        sess.run(on_train)
        np.testing.assert_array_equal(sess.run(images), X)
        sess.run(on_test)
        np.testing.assert_array_equal(sess.run(images), X[:2] + 100)


def test_generator_zip_concatenate_filter_and_lists_as_one_component():
    def gen():
        for i in range(3):
            yield i, [float(i)] * 2

    made = tf.data.Dataset.from_generator(gen, (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([2])))
    zipped = tf.data.Dataset.zip((tf.data.Dataset.range(4), made))
    assert repr(zipped) == "<DatasetV1Adapter shapes: ((), ((), (2,))), types: (tf.int64, (tf.int64, tf.float32))>"
    chained = tf.data.Dataset.range(4).concatenate(tf.data.Dataset.range(10, 12))
    evens = tf.data.Dataset.range(4).filter(lambda v: tf.equal(v % 2, 0))
    scalars = tf.data.Dataset.from_tensor_slices([1, 2, 3])      # a list is one tensor, not three
    nexts = [d.make_one_shot_iterator().get_next() for d in (zipped, chained, evens, scalars)]
    with tf.Session() as sess:
        first = sess.run(nexts[0])
        assert first[0] == 0 and first[1][0] == 0 and first[1][1].tolist() == [0.0, 0.0]
        assert [int(sess.run(nexts[1])) for _ in range(6)] == [0, 1, 2, 3, 10, 11]
        assert [int(sess.run(nexts[2])) for _ in range(2)] == [0, 2]
        assert [int(sess.run(nexts[3])) for _ in range(3)] == [1, 2, 3]
        for exhausted in nexts[2:]:
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(exhausted)


def test_training_from_an_iterator_equals_training_from_feed_dict():
    rng = np.random.RandomState(0)
    x_train = rng.rand(40, 3).astype(np.float32)
    y_train = x_train @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3

    def train(get_batch):
        x, y = get_batch()
        w = tf.Variable(tf.zeros([3, 1]))
        b = tf.Variable(0.0)
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        return w, b, step, x

    with tf.Graph().as_default():
        w, b, step, _ = train(lambda: tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(10).repeat(3)
                              .make_one_shot_iterator().get_next())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            steps = 0
            while True:
                try:
                    sess.run(step)
                except tf.errors.OutOfRangeError:
                    break
                steps += 1
            from_iterator = sess.run([w, b])
    with tf.Graph().as_default():
        w, b, step, x = train(lambda: (tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 1])))
        y = tf.get_default_graph().get_tensor_by_name("Placeholder_1:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                for start in range(0, 40, 10):
                    sess.run(step, {x: x_train[start:start + 10], y: y_train[start:start + 10]})
            fed = sess.run([w, b])
    assert steps == 12
    np.testing.assert_array_equal(from_iterator[0], fed[0])
    assert from_iterator[1] == fed[1]


def test_tf_data_module_functions_and_constants():
    dataset = tf.data.Dataset.range(2)
    value = tf.data.make_one_shot_iterator(dataset).get_next()
    initializable = tf.data.make_initializable_iterator(dataset)
    with tf.Session() as sess:
        assert sess.run(value) == 0
        sess.run(initializable.initializer)
        assert sess.run(initializable.get_next()) == 0
    assert tf.data.experimental.AUTOTUNE == -1
    with pytest.raises(tf.tf1_api.NotInMinitfError, match="tf.data.TFRecordDataset"):
        _ = tf.data.TFRecordDataset
