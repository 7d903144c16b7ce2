"""minitf.v2.keras: layers, models, training, optimizers, losses, checkpoints, MNIST.

Numbers are checked against real TensorFlow 2 (tests/data/v2/keras_reference.json, written by
make_keras_reference.py beside it) and against minitf's own TF1 optimizers.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import minitf as tf1
from v2_fixtures import tf  # noqa: F401  (the fixture)

HERE = Path(__file__).resolve().parents[1]
REFERENCE = json.loads((HERE / "data" / "v2" / "keras_reference.json").read_text())
MNIST = HERE.parents[1] / "shared" / "data" / "mnist"


@pytest.fixture
def keras(tf):
    tf.keras.backend.clear_session()
    return tf.keras


def _seed_model(keras):
    return keras.models.Sequential([
        keras.layers.Flatten(),
        keras.layers.Dense(512, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])


def _blobs(n=600, seed=0):
    """Three well separated clusters in 2-D: any working classifier gets them all right."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    centers = np.array([[0., 4.], [4., -2.], [-4., -2.]])
    return centers[labels] + rng.normal(size=(n, 2)), labels.astype(np.uint8)


# ---- layers ------------------------------------------------------------------------------------
def test_layers_are_named_once_and_own_named_weights(keras):
    a, b = keras.layers.Dense(3), keras.layers.Dense(4, name="out")
    assert (a.name, b.name, keras.layers.Dense(1).name) == ("dense", "out", "dense_1")
    y = a(np.ones((2, 5)))
    assert y.shape == (2, 3) and y.dtype == np.float32                # float64 inputs are cast
    assert [w.name for w in a.weights] == ["dense/kernel:0", "dense/bias:0"] and a.count_params() == 18
    assert a.bias.numpy().tolist() == [0., 0., 0.]


def test_dense_computes_what_tf2_computes(keras):
    dense = keras.layers.Dense(2, activation="relu")
    dense.build(tf1.TensorShape([None, 3]))
    dense.built = True
    dense.set_weights([np.array(REFERENCE["w0"]), np.array([0.5, -0.5])])
    np.testing.assert_allclose(dense(np.array(REFERENCE["x"], np.float32)).numpy(), REFERENCE["dense_relu"],
                               rtol=1e-6)


def test_sequential_summary_and_count_params(keras, capsys):
    model = _seed_model(keras)
    with pytest.raises(ValueError, match="This model has not yet been built"):
        model.summary()
    model.build((None, 28, 28))
    model.summary()
    assert capsys.readouterr().out == """Model: "sequential"
_________________________________________________________________
Layer (type)                 Output Shape              Param #   
=================================================================
flatten (Flatten)            (None, 784)               0         
_________________________________________________________________
dense (Dense)                (None, 512)               401920    
_________________________________________________________________
dropout (Dropout)            (None, 512)               0         
_________________________________________________________________
dense_1 (Dense)              (None, 10)                5130      
=================================================================
Total params: 407,050
Trainable params: 407,050
Non-trainable params: 0
_________________________________________________________________
"""
    assert len(model.layers) == 4 and model.count_params() == 784 * 512 + 512 + 512 * 10 + 10


def test_input_shape_builds_at_once_and_conv_layers(keras):
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)),
                              keras.layers.Conv2D(4, 3, activation="relu", padding="same"),
                              keras.layers.MaxPooling2D(),
                              keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    assert model.built and [layer.output_shape for layer in model.layers] == [
        (None, 8, 8, 4), (None, 4, 4, 4), (None, 64), (None, 2)]
    assert model.count_params() == 3 * 3 * 4 + 4 + 64 * 2 + 2
    assert model(np.zeros((5, 8, 8, 1))).shape == (5, 2)


def test_batch_normalization_as_tf2_computes_it(keras, tf):
    """Batch statistics and a moving-average update while training, the moving averages otherwise; the
    update runs eagerly, in a tf.function and in fit (numbers printed by real TF2 for the same calls)."""
    x = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5
    bn = keras.layers.BatchNormalization()
    np.testing.assert_allclose(bn(x, training=True).numpy(), [[-1.141, -1.1937, -1.2221], [-0.6353, -0.5876, -0.5615],
                                                              [0.2894, 0.3234, 0.3439], [1.4869, 1.4579, 1.4398]],
                               atol=1e-4)
    assert [(w.name, w.trainable) for w in bn.weights] == [
        ("batch_normalization/gamma:0", True), ("batch_normalization/beta:0", True),
        ("batch_normalization/moving_mean:0", False), ("batch_normalization/moving_variance:0", False)]
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.11723, 0.14786, 0.1828], atol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [2.0456, 2.3238, 2.5885], atol=1e-4)
    np.testing.assert_allclose(bn(x).numpy()[1], [3.5502, 5.1498, 6.8342], atol=1e-4)     # moving averages
    assert tf1.get_default_graph().get_collection(tf1.GraphKeys.UPDATE_OPS) == []      # eager: nothing kept
    step = tf.function(lambda a: bn(a, training=True))
    step(x)
    step(x)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.34819, 0.43915, 0.54293], atol=1e-5)

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.BatchNormalization(),
                              keras.layers.Dense(2)])
    assert (model.count_params(), len(model.trainable_weights), len(model.non_trainable_weights)) == (42, 6, 2)
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((4, 2)), epochs=1, batch_size=4, verbose=0)
    assert (model.layers[1].moving_variance.numpy() != 1).all()


def test_functional_and_subclassed_models(keras, tf):
    inputs = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    functional = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    assert [layer.name for layer in functional.layers] == ["dense", "dense_1"]
    assert functional.count_params() == 2 * 8 + 8 + 8 * 3 + 3

    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(3, activation="softmax")

        def call(self, x, training=None):
            return self.out(self.hidden(x))

    subclassed = TwoLayers()
    for model in (functional, subclassed):
        model.compile(keras.optimizers.Adam(0.02), "sparse_categorical_crossentropy", ["accuracy"])
        x, y = _blobs()
        model.fit(x, y, epochs=10, verbose=0)
        assert model.evaluate(x, y, verbose=0)[1] > 0.97
    assert len(subclassed.trainable_variables) == 4


def test_softmax_and_relu_layers_and_a_model_inside_a_model(keras):
    """TF2's quickstart: logits from a trained model, probabilities from ``Sequential([model, Softmax()])``."""
    x, y = _blobs()
    model = keras.Sequential([keras.layers.Dense(16), keras.layers.ReLU(), keras.layers.Dense(3)])
    model.compile(keras.optimizers.Adam(0.02), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  ["accuracy"])
    model.fit(x, y, epochs=10, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.97
    probability_model = keras.Sequential([model, keras.layers.Softmax()])
    logits, probs = model(x[:4]).numpy(), probability_model(x[:4]).numpy()
    np.testing.assert_allclose(probs, np.exp(logits) / np.exp(logits).sum(1, keepdims=True), rtol=1e-5)
    assert keras.layers.ReLU()(np.array([[-1., 2.]])).numpy().tolist() == [[0., 2.]]
    np.testing.assert_allclose(keras.layers.Softmax(axis=0)(np.zeros((2, 3))).numpy(), np.full((2, 3), 0.5))


# ---- training ----------------------------------------------------------------------------------
def test_fit_evaluate_predict(keras):
    x, y = _blobs()
    model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=8, batch_size=32, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"} and history.epoch == list(range(8))
    assert history.history["loss"][-1] < history.history["loss"][0] and history.history["val_accuracy"][-1] > 0.97
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert 0 < loss < 0.3 and accuracy > 0.97
    probs = model.predict(x[:5], verbose=0)
    assert probs.shape == (5, 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-6)
    assert model.train_function.experimental_get_tracing_count() == 2     # full batches and the last one


def test_fit_with_validation_data_one_hot_labels_and_metric_objects(keras):
    x, y = _blobs(400)
    x_val, y_val = _blobs(100, seed=1)
    for loss, accuracy in [("categorical_crossentropy", "accuracy"),
                           (keras.losses.CategoricalCrossentropy(), keras.metrics.CategoricalAccuracy("accuracy"))]:
        model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.SGD(0.1), loss, [accuracy, "mse"])
        history = model.fit(x, np.eye(3)[y], epochs=3, validation_data=(x_val, np.eye(3)[y_val]), verbose=0)
        assert set(history.history) == {"loss", "accuracy", "mse", "val_loss", "val_accuracy", "val_mse"}
        val_loss, val_accuracy, val_mse = model.evaluate(x_val, np.eye(3)[y_val], verbose=0)
        assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-6)
        probs = model.predict(x_val, verbose=0)
        assert val_accuracy == pytest.approx(np.mean(probs.argmax(1) == y_val))     # one-hot rows compared
        assert val_mse == pytest.approx(np.mean((probs - np.eye(3)[y_val]) ** 2), rel=1e-5)


def test_fit_shuffles_each_epoch_unless_told_not_to(keras):
    x, y = _blobs(100)

    def trained(shuffle, seed=0):
        keras.backend.clear_session()
        model = keras.Sequential([keras.layers.Dense(3, activation="softmax", kernel_initializer="ones")])
        model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        np.random.seed(seed)
        model.fit(x, y, epochs=2, batch_size=16, shuffle=shuffle, verbose=0)
        return model.get_weights()[0]

    keras.backend.clear_session()
    by_hand = keras.Sequential([keras.layers.Dense(3, activation="softmax", kernel_initializer="ones")])
    by_hand.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    for _ in range(2):
        for start in range(0, len(x), 16):
            by_hand.train_on_batch(x[start:start + 16], y[start:start + 16])
    np.testing.assert_allclose(trained(False, seed=0), by_hand.get_weights()[0], rtol=1e-6)
    np.testing.assert_array_equal(trained(False, seed=0), trained(False, seed=1))
    np.testing.assert_array_equal(trained(True, seed=0), trained(True, seed=0))
    assert not np.allclose(trained(True, seed=0), trained(True, seed=1))
    assert not np.allclose(trained(True, seed=0), trained(False, seed=0))


def test_the_training_step_is_one_tf1_graph(keras):
    x, y = _blobs(64)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    graph = model.train_function.get_concrete_function(x[:32].astype(np.float32), y[:32]).graph
    types = {op.type for op in graph.get_operations()}
    assert {"Placeholder", "VariableV2", "MatMul", "SparseSoftmaxCrossEntropyWithLogits", "ApplyAdam",
            "AssignAdd"} <= types
    assert "Softmax" in types and "Log" not in types   # the loss uses the logits under the softmax


def test_progress_lines(keras, capsys):
    x, y = _blobs(64)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=2, batch_size=32, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/2\n") and "Epoch 2/2\n" in out
    final = out.rstrip("\n").split("\n")[-1].split("\r")[-1]
    assert re.fullmatch(r"2/2 \[==============================\] - \d+s \d+[mu]?s/step - loss: \d\.\d{4} - "
                        r"accuracy: \d\.\d{4}", final), final
    model.fit(x, y, epochs=1, batch_size=32, verbose=2)
    assert re.fullmatch(r"Epoch 1/1\n2/2 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+[mu]?s/epoch - "
                        r"\d+[mu]?s/step\n", capsys.readouterr().out)
    model.evaluate(x, y, verbose=1)
    assert re.search(r"2/2 \[=+\] - \d+s \d+[mu]?s/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n$",
                     capsys.readouterr().out)


def test_callbacks(keras):
    x, y = _blobs(128)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")     # learns nothing
    epochs = []
    stopper = keras.callbacks.EarlyStopping(monitor="loss", min_delta=1e-3, patience=1)
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        stopper, keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: epochs.append(epoch))])
    assert epochs == [0, 1] and len(history.history["loss"]) == 2 and stopper.stopped_epoch == 1


def test_training_plot_callback_feeds_the_widget(keras):
    widgets = pytest.importorskip("minitf.widgets")
    plot = widgets.TrainingPlot(("loss",))
    x, y = _blobs(320)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=2, batch_size=32, verbose=0, validation_split=0.2,
              callbacks=[keras.callbacks.TrainingPlotCallback(plot, every=2)])
    assert plot.steps["loss"] == [2, 4, 6, 8, 10, 12, 14, 16] and len(plot.values["val_accuracy"]) == 2
    assert "<svg" in plot.svg


def test_compile_errors(keras):
    model = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match="You must compile your model before training"):
        model.fit(np.ones((2, 1)), np.ones(2), verbose=0)
    with pytest.raises(ValueError, match="Unknown loss function: 'crossentropy'"):
        model.compile("adam", "crossentropy")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'adamw'"):
        model.compile("adamw", "mse")


def test_metric_objects_keep_a_running_mean_eagerly_and_in_a_function(keras, tf):
    """TF2's custom training loop: ``train_loss(loss)`` and ``train_accuracy(labels, predictions)``
    inside a tf.function, ``result()`` and ``reset_state()`` between epochs (numbers as TF2 gives them)."""
    mean = keras.metrics.Mean(name="train_loss")
    assert mean.result().numpy() == 0.0
    assert mean([1., 2., 3.]).numpy() == 2.0 and mean(5.).numpy() == 2.75      # each value counts once
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    accuracy.update_state([1, 0], [[0.1, 0.9], [0.2, 0.8]])
    assert accuracy.result().numpy() == 0.5
    accuracy.reset_state()
    assert accuracy.result().numpy() == 0.0

    x, y = _blobs(96)
    model = keras.Sequential([keras.layers.Dense(3)])
    loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    losses, hits = [], []

    @tf.function
    def step(images, labels):
        logits = model(images)
        loss = loss_object(labels, logits)
        mean(loss)
        accuracy(labels, logits)
        return loss, tf.argmax(logits, 1)

    for epoch in range(2):
        mean.reset_states()
        accuracy.reset_states()
        for start in range(0, 96, 32):
            loss, predicted = step(x[start:start + 32].astype(np.float32), y[start:start + 32])
            losses.append(loss.numpy())
            hits.extend(predicted.numpy() == y[start:start + 32])
        assert mean.result().numpy() == pytest.approx(np.mean(losses[-3:]), rel=1e-6)
        assert accuracy.result().numpy() == pytest.approx(np.mean(hits[-96:]), rel=1e-6)
    assert step.experimental_get_tracing_count() == 1


# ---- optimizers and losses against real TensorFlow 2 and minitf's TF1 optimizers -------------------
@pytest.mark.parametrize("name, make", [
    ("adam", lambda k: k.optimizers.Adam(0.01)),
    ("sgd", lambda k: k.optimizers.SGD(0.1)),
    ("sgd_momentum", lambda k: k.optimizers.SGD(0.1, momentum=0.9)),
    ("sgd_nesterov", lambda k: k.optimizers.SGD(0.1, momentum=0.9, nesterov=True)),
    ("rmsprop", lambda k: k.optimizers.RMSprop(0.01)),
    ("rmsprop_momentum", lambda k: k.optimizers.RMSprop(0.01, momentum=0.5)),
    ("rmsprop_centered", lambda k: k.optimizers.RMSprop(0.01, centered=True)),
])
def test_optimizer_steps_match_tf2(keras, tf, name, make):
    var, opt = tf.Variable(np.array(REFERENCE["w0"], np.float32)), make(keras)
    for g in REFERENCE["grads"]:
        opt.apply_gradients([(tf.constant(g, tf.float32), var)])
    np.testing.assert_allclose(var.numpy(), REFERENCE["steps"][name], rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("keras_optimizer, tf1_optimizer", [
    (lambda k: k.optimizers.SGD(0.1), lambda: tf1.train.GradientDescentOptimizer(0.1)),
    (lambda k: k.optimizers.SGD(0.1, momentum=0.9), lambda: tf1.train.MomentumOptimizer(0.1, 0.9)),
    (lambda k: k.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
     lambda: tf1.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)),
    (lambda k: k.optimizers.Adam(0.01), lambda: tf1.train.AdamOptimizer(0.01, epsilon=1e-7)),
    (lambda k: k.optimizers.RMSprop(0.01), lambda: tf1.train.RMSPropOptimizer(0.01, epsilon=1e-7)),
    (lambda k: k.optimizers.RMSprop(0.01, momentum=0.5),
     lambda: tf1.train.RMSPropOptimizer(0.01, momentum=0.5, epsilon=1e-7)),
    (lambda k: k.optimizers.RMSprop(0.01, centered=True),
     lambda: tf1.train.RMSPropOptimizer(0.01, epsilon=1e-7, centered=True)),
], ids=["sgd", "momentum", "nesterov", "adam", "rmsprop", "rmsprop_momentum", "rmsprop_centered"])
def test_keras_optimizers_are_tf1s_optimizers(keras, tf, keras_optimizer, tf1_optimizer):
    """The same rules as TF1's optimizers given the same hyperparameters, eagerly and in a traced step.
    Two defaults differ and are set alike here: Keras's epsilon is 1e-7, and TF1's RMSProp starts its
    mean square at 1 (Keras at 0).  TF1 multiplies Adam's ``beta1_power`` step by step where Keras
    raises beta1 to the step: the last bit may differ."""
    w0, grads = np.array(REFERENCE["w0"], np.float32), [np.array(g, np.float32) for g in REFERENCE["grads"]]
    with tf1.Graph().as_default():
        v, g = tf1.Variable(w0), tf1.placeholder(tf1.float32, [3, 2])
        optimizer = tf1_optimizer()
        train = optimizer.apply_gradients([(g, v)])
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            if "rms" in optimizer.get_slot_names():
                sess.run(optimizer.get_slot(v, "rms").assign(np.zeros_like(w0)))
            for grad in grads:
                sess.run(train, {g: grad})
            tf1_result = sess.run(v)
    eager_var, traced_var = tf.Variable(w0), tf.Variable(w0)
    eager_opt, traced_opt = keras_optimizer(keras), keras_optimizer(keras)
    step = tf.function(lambda grad: traced_opt.apply_gradients([(grad, traced_var)]))
    for grad in grads:
        eager_opt.apply_gradients([(tf.constant(grad), eager_var)])
        step(tf.constant(grad))
    np.testing.assert_array_equal(eager_var.numpy(), traced_var.numpy())
    assert not np.array_equal(eager_var.numpy(), w0)
    np.testing.assert_allclose(eager_var.numpy(), tf1_result, rtol=1e-6)


def test_learning_rate_is_a_variable_a_traced_step_reads(keras, tf):
    var, opt = tf.Variable(1.0), keras.optimizers.SGD(0.5)
    step = tf.function(lambda: opt.apply_gradients([(tf.constant(1.0), var)]))
    step()
    opt.learning_rate = 0.25
    step()
    assert var.numpy() == 0.25 and int(opt.iterations.numpy()) == 2


@pytest.mark.parametrize("name, make, one_hot", [
    ("sparse_categorical_crossentropy", lambda k: k.losses.SparseCategoricalCrossentropy(), False),
    ("categorical_crossentropy", lambda k: k.losses.CategoricalCrossentropy(), True),
    ("sparse_from_logits", lambda k: k.losses.SparseCategoricalCrossentropy(from_logits=True), False),
    ("mse", lambda k: k.losses.get("mse"), True),
])
def test_losses_match_tf2(keras, name, make, one_hot):
    labels = np.array(REFERENCE["labels"])
    target = np.eye(3)[labels] if one_hot else labels
    value = make(keras)(target, np.array(REFERENCE["probs"], np.float32))
    assert value.numpy() == pytest.approx(REFERENCE["losses"][name], rel=1e-6)


def test_binary_crossentropy_matches_tf2(keras):
    probs = np.array(REFERENCE["probs"], np.float32)[:, :1]
    value = keras.losses.BinaryCrossentropy()(np.array([[1.], [0.], [1.]]), probs)
    assert value.numpy() == pytest.approx(REFERENCE["losses"]["binary_crossentropy"], rel=1e-6)


# ---- checkpoints --------------------------------------------------------------------------------
def test_save_and_load_weights(keras, tmp_path):
    x, y = _blobs(64)
    model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(3)])
    model.compile("adam", "mse")
    model.fit(x, np.eye(3)[y], epochs=2, verbose=0)
    model.save_weights(str(tmp_path / "ckpt" / "weights"))
    assert (tmp_path / "ckpt" / "checkpoint").exists()
    again = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(3)])
    again.build((None, 2))
    again.load_weights(str(tmp_path / "ckpt" / "weights"))
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    wrong = keras.Sequential([keras.layers.Dense(5), keras.layers.Dense(3)])
    wrong.build((None, 2))
    with pytest.raises(ValueError, match="Shape mismatch"):
        wrong.load_weights(str(tmp_path / "ckpt" / "weights"))
    np.testing.assert_array_equal(wrong.layers[1].bias.numpy(), np.zeros(3))   # nothing was changed


# ---- data ---------------------------------------------------------------------------------------
@pytest.mark.skipif(not MNIST.is_dir(), reason="../shared/data/mnist is not beside this checkout")
def test_mnist_load_data(keras, monkeypatch, capsys):
    monkeypatch.setenv("MNIST_DIR", str(MNIST))
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8 and y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert x_train.max() == 255 and capsys.readouterr().out == ""


def test_to_categorical(keras):
    assert keras.utils.to_categorical([2, 0], 3).tolist() == [[0., 0., 1.], [1., 0., 0.]]


def test_checkpoint_of_objects(keras, tf, tmp_path):
    x, y = _blobs(64)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.1), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    epoch = tf.Variable(7)
    ckpt = tf.train.Checkpoint(model=model, optimizer=model.optimizer, epoch=epoch)
    assert ckpt.save(str(tmp_path / "ckpt")) == str(tmp_path / "ckpt-1")
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert path.endswith("ckpt-2") and tf.train.latest_checkpoint(str(tmp_path)) == path
    fresh = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
    fresh.build((None, 2))
    optimizer, fresh_epoch = keras.optimizers.Adam(0.1), tf.Variable(0)
    status = tf.train.Checkpoint(model=fresh, optimizer=optimizer, epoch=fresh_epoch).restore(path)
    status.assert_consumed()
    assert int(fresh_epoch.numpy()) == 7 and int(optimizer.iterations.numpy()) == 2
    np.testing.assert_array_equal(fresh.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())
    np.testing.assert_array_equal(optimizer.get_slot(fresh.layers[0].kernel, "m").numpy(),
                                  model.optimizer.get_slot(model.layers[0].kernel, "m").numpy())
