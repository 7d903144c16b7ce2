"""minitf.v2.data: tf.data.Dataset pipelines and Keras fit/evaluate/predict on them.

The expected values are what real TensorFlow 2 printed for the same pipelines.
"""
import numpy as np
import pytest

from v2_fixtures import tf  # noqa: F401  (the fixture)


@pytest.fixture
def pairs(tf):
    return tf.data.Dataset.from_tensor_slices((np.arange(10), np.arange(10) * 2.0))


def test_slices_batches_and_lengths(tf, pairs):
    assert len(pairs) == 10 and [(int(a), float(b)) for a, b in pairs.take(3)] == [(0, 0.), (1, 2.), (2, 4.)]
    batches = pairs.batch(4)
    assert len(batches) == 3 and [x.numpy().tolist() for x, _ in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(pairs.batch(4, drop_remainder=True)) == 2
    first = next(iter(pairs.batch(2)))
    assert str(first[0]) == "tf.Tensor([0 1], shape=(2,), dtype=int64)" and first[1].dtype == tf.float64
    rows = list(tf.data.Dataset.from_tensor_slices({"a": np.ones((3, 2)), "b": np.zeros(3)}).batch(2)
                .as_numpy_iterator())
    assert rows[0]["a"].shape == (2, 2) and rows[1]["b"].shape == (1,)
    with pytest.raises(ValueError, match="must all be equal"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_map_filter_repeat_take_skip_and_cardinality(tf, pairs):
    assert [tuple(e) for e in pairs.map(lambda a, b: (a * 2, b + 1)).take(2).as_numpy_iterator()] == [(0, 1.), (2, 3.)]
    assert [int(a) for a, _ in pairs.filter(lambda a, b: a > 6)] == [7, 8, 9]
    assert list(tf.data.Dataset.range(5).skip(2).as_numpy_iterator()) == [2, 3, 4]
    assert [int(x) for x in tf.data.Dataset.range(3).repeat(2)] == [0, 1, 2, 0, 1, 2]
    assert [int(x) for x in tf.data.Dataset.range(2).repeat().take(5)] == [0, 1, 0, 1, 0]
    cardinality = [int(d.cardinality()) for d in (pairs.repeat(2), pairs.repeat(), pairs.filter(lambda a, b: a > 3))]
    assert cardinality == [20, tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY] == [20, -1, -2]
    with pytest.raises(TypeError, match="infinite"):
        len(pairs.repeat())


def test_shuffle_draws_from_a_buffer_and_reshuffles_each_pass(tf):
    numbers = tf.data.Dataset.range(100)
    assert list(numbers.shuffle(1).as_numpy_iterator()) == list(range(100))
    shuffled = numbers.shuffle(100)
    first, second = list(shuffled.as_numpy_iterator()), list(shuffled.as_numpy_iterator())
    assert sorted(first) == list(range(100)) and first != list(range(100)) and first != second
    fixed = numbers.shuffle(100, seed=3, reshuffle_each_iteration=False)
    assert list(fixed.as_numpy_iterator()) == list(fixed.as_numpy_iterator())
    for _ in range(20):     # a buffer of 10: the first element out is one of the first 10 in
        assert next(numbers.shuffle(10).as_numpy_iterator()) < 10
    tf.random.set_seed(1)
    again = list(numbers.shuffle(100).as_numpy_iterator())
    tf.random.set_seed(1)
    assert list(numbers.shuffle(100).as_numpy_iterator()) == again


def test_keras_trains_evaluates_and_predicts_on_datasets(tf):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    train = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256).batch(32)
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softmax")])
    model.compile(tf.keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    validation = tf.data.Dataset.from_tensor_slices((x, y)).batch(64)
    history = model.fit(train, epochs=8, verbose=0, validation_data=validation)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    loss, accuracy = model.evaluate(tf.data.Dataset.from_tensor_slices((x, y)).batch(100), verbose=0)
    assert accuracy > 0.95 and loss == pytest.approx(model.evaluate(x, y, verbose=0)[0], rel=1e-5)
    np.testing.assert_allclose(model.predict(train.map(lambda a, b: a), verbose=0).sum(axis=1), 1, rtol=1e-6)
    assert model.predict(tf.data.Dataset.from_tensor_slices((x, y)).batch(50), verbose=0).shape == (256, 2)
    seen = []
    model.fit(train.repeat(), epochs=1, steps_per_epoch=3, verbose=0,
              callbacks=[tf.keras.callbacks.LambdaCallback(on_batch_end=lambda step, logs: seen.append(step))])
    assert seen == [0, 1, 2]
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(train.repeat(), verbose=0)
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        model.fit(train, y, verbose=0)
