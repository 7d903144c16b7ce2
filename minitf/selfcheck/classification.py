"""Checks for exercises 06 · Classification (one-hot labels, cross-entropy, accuracy, the fur/wings network)."""
import numpy as np

from .. import dtypes, errors
from ..graph import Graph, get_default_graph, set_random_seed
from ..ops.array_ops import constant, placeholder
from .core import call, evaluate, expect, expect_tensor, question, same_values

_PROBABILITIES = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]
_TARGETS = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]


@question("06.q1", "to_one_hot", "labels")
def _(to_one_hot, labels):
    one_hot = expect_tensor(call(to_one_hot, labels, name="to_one_hot"), "to_one_hot(labels)")
    expect(one_hot.dtype == dtypes.float32, f"the one-hot tensor has dtype {one_hot.dtype.name}, expected float32.",
           "tf.one_hot gives float32 unless told otherwise.")
    value = evaluate(one_hot)
    expect(np.shape(value) == (len(labels), 3), f"to_one_hot(labels) has shape {np.shape(value)}, expected "
           f"({len(labels)}, 3).", "tf.one_hot(labels, depth=3): one row per label, one column per class.")
    expect(np.array_equal(value, np.eye(3)[labels]), "a row of to_one_hot(labels) does not have its 1 at the "
           "position of its label.", "row i should be all zeros except a 1 in column labels[i].")
    two_mammals = evaluate(expect_tensor(call(to_one_hot, [1, 1], name="to_one_hot"), "to_one_hot([1, 1])"))
    expect(np.shape(two_mammals) == (2, 3) and np.array_equal(two_mammals, [[0, 1, 0], [0, 1, 0]]),
           f"to_one_hot([1, 1]) is {np.asarray(two_mammals).tolist()}, expected [[0, 1, 0], [0, 1, 0]].",
           "there are always 3 classes, whichever labels the list holds: depth=3.")


@question("06.q2", "cross_entropy")
def _(cross_entropy):
    loss = expect_tensor(call(cross_entropy, constant(_PROBABILITIES), constant(_TARGETS), name="cross_entropy"),
                         "cross_entropy(model, Y)")
    expect(loss.shape.ndims == 0, f"cross_entropy returned shape {loss.shape}; the loss should be one number.")
    expected = -np.mean(np.sum(np.multiply(_TARGETS, np.log(_PROBABILITIES)), axis=1))
    value = evaluate(loss)
    expect(np.isclose(value, expected, rtol=1e-5), f"for model = {_PROBABILITIES} and Y = {_TARGETS} the loss "
           f"is {value:.4f}, expected {expected:.4f}.",
           "sum -Y * log(model) over the classes of each example (axis=1), then average over the examples.")
    rng = np.random.RandomState(0)
    probabilities = rng.dirichlet(np.ones(4), size=6).astype(np.float32)
    targets = np.eye(4, dtype=np.float32)[rng.randint(0, 4, size=6)]
    value = evaluate(call(cross_entropy, constant(probabilities), constant(targets), name="cross_entropy"))
    expected = -np.mean(np.sum(targets * np.log(probabilities), axis=1))
    expect(np.ndim(value) == 0 and np.isclose(value, expected, rtol=1e-5),
           f"for 6 examples of 4 classes the loss is {value}, expected {expected:.4f}.",
           "nothing in cross_entropy should assume 2 examples or 3 classes.")


@question("06.q3", "accuracy")
def _(accuracy):
    scores = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]
    targets = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    acc = expect_tensor(call(accuracy, constant(scores), constant(targets), name="accuracy"), "accuracy(model, Y)")
    expect(acc.dtype == dtypes.float32 and acc.shape.ndims == 0,
           f"accuracy returned a {acc.dtype.name} tensor of shape {acc.shape}, expected a float32 scalar.",
           "tf.reduce_mean(tf.cast(is_correct, tf.float32)).")
    value = evaluate(acc)
    expect(np.isclose(value, 0.5), f"with 2 of 4 examples right the accuracy should be 0.5, got {value:g}.",
           "compare tf.argmax(model, axis=1) with tf.argmax(Y, axis=1) using tf.equal.")
    model, Y = placeholder(dtypes.float32, [None, 5]), placeholder(dtypes.float32, [None, 5])
    acc = expect_tensor(call(accuracy, model, Y, name="accuracy"), "accuracy(model, Y)")
    rng = np.random.RandomState(7)
    scores, targets = rng.randn(10, 5), np.eye(5)[rng.randint(0, 5, size=10)]
    value = evaluate(acc, feed_dict={model: scores, Y: targets})
    expected = np.mean(scores.argmax(axis=1) == targets.argmax(axis=1))
    expect(np.isclose(value, expected), f"fed 10 examples of 5 classes, the accuracy is {value:g}, expected "
           f"{expected:g}.", "nothing in accuracy should assume a batch size or 3 classes.")


@question("06.q4", "train_classifier", "x_data", "labels")
def _(train_classifier, x_data, labels):
    set_random_seed(0)  # the same initial weights at every check
    for order in (np.arange(len(labels)), np.array([3, 5, 1, 0, 2, 4, 2])):
        expected = np.asarray(labels)[order]
        predicted = call(train_classifier, np.asarray(x_data)[order], np.eye(3, dtype=np.float32)[expected], 300,
                         name="train_classifier")
        expect(isinstance(predicted, np.ndarray) and predicted.shape == expected.shape,
               f"train_classifier should return one predicted class per row of x_data, got {predicted!r:.80}.",
               "return sess.run(tf.argmax(model, axis=1), feed_dict={X: x_data}).")
        expect(np.array_equal(predicted, expected), f"after 300 steps on {len(order)} animals the predictions are "
               f"{predicted.tolist()}, but the classes are {expected.tolist()}.",
               "a hidden layer of 10 ReLU units, softmax_cross_entropy_with_logits_v2 on the logits, "
               "AdamOptimizer(learning_rate=0.01), and the training op run `steps` times with the x_data and "
               "y_data passed in fed.")
    expect(any(op.type == "ApplyAdam" for op in get_default_graph().get_operations()),
           "train_classifier does not train with tf.train.AdamOptimizer.",
           "tf.train.AdamOptimizer(learning_rate=0.01).")


@question("06.q5", "predicted_initial_loss", "initial_loss")
def _(predicted_initial_loss, initial_loss):
    expect(isinstance(predicted_initial_loss, (int, float)) and not isinstance(predicted_initial_loss, bool),
           f"`predicted_initial_loss` should be a number, got {predicted_initial_loss!r}.")
    expect(abs(predicted_initial_loss - np.log(10)) < 0.01 * np.log(10),
           f"an untrained classifier of 10 classes does not start at a loss of {predicted_initial_loss:g}.",
           "with (almost) equal logits softmax gives every class the same probability; the cross-entropy is "
           "−log of the true class's probability.")
    rng = np.random.RandomState(3)
    for classes in (10, 3):
        features = rng.randn(200, 20).astype(np.float32)
        labels = rng.randint(0, classes, size=200)
        with Graph().as_default() as graph:
            loss = call(initial_loss, features, labels, classes, name="initial_loss")
        expect(isinstance(loss, np.floating) and any(op.type == "SoftmaxCrossEntropyWithLogits"
                                                     for op in graph.get_operations()),
               f"initial_loss should return the loss it measured, what sess.run gives, got {loss!r:.80}.",
               "build the untrained classifier and its loss with softmax_cross_entropy_with_logits_v2, "
               "then return sess.run(loss).")
        expect(abs(loss - np.log(classes)) < 0.02 * np.log(classes),
               f"for {classes} classes initial_loss measured {loss:.4f}; an untrained classifier with small "
               f"weights starts near ln {classes} = {np.log(classes):.4f}.",
               "small weights (stddev 0.01) and zero biases, logits = features · W + b, the mean of "
               "softmax_cross_entropy_with_logits_v2 with one-hot labels of depth num_classes.")


@question("06.q6", "save_model", "restore_model")
def _(save_model, restore_model):
    rng = np.random.RandomState(6)
    weights_value, bias_value = rng.randn(2, 3).astype(np.float32), rng.randn(3).astype(np.float32)
    path = call(save_model, weights_value, bias_value, name="save_model")
    restored = call(restore_model, path, name="restore_model", hints={
        errors.NotFoundError: "a checkpoint maps variable *names* to values: the message names the key that the "
                              "graph asks for and the checkpoint does not have."})
    expect(isinstance(restored, (list, tuple)) and len(restored) == 2,
           f"restore_model should return [weights, bias] as sess.run gives them, got {restored!r:.80}.",
           "return sess.run([weights, bias]).")
    expect(same_values(restored[0], weights_value) and same_values(restored[1], bias_value),
           "restore_model does not return the values stored in the checkpoint.",
           "restore, do not initialise: saver.restore sets every variable it finds by name.")
