"""Checks for exercises 07 · MNIST (reading the data, the loss on logits, reaching the target accuracy)."""
import numpy as np

from .. import dtypes
from ..ops.array_ops import constant
from ..session import Session
from .core import call, evaluate, expect, expect_tensor, question

FULL_TEST_SET = 10_000


def target_accuracy(mnist) -> float:
    """The test accuracy exercise 07.q3 asks for: 97 % on MNIST's full test set of 10 000 images.

    The course's automated tests use a small sample of MNIST (``minitf/datasets/mnist_small``, set as
    ``MNIST_DIR``) to grade in seconds; trained on its 5 000 images, the same network stops near
    90 %, so on any smaller test set the target is 85 %.
    """
    return 0.97 if mnist.test.num_examples >= FULL_TEST_SET else 0.85


@question("07.q1", "mnist", "first_image", "first_digit")
def _(mnist, first_image, first_digit):
    expect(np.shape(first_image) == (28, 28), f"`first_image` has shape {np.shape(first_image)}, expected (28, 28).",
           "np.reshape(mnist.test.images[0], (28, 28)): 784 pixels, 28 rows of 28.")
    expect(np.array_equal(np.ravel(first_image), mnist.test.images[0]),
           "`first_image` does not hold the pixels of the first test image.", "mnist.test.images[0].")
    expect(np.asarray(first_image).dtype == np.float32, f"`first_image` has dtype {np.asarray(first_image).dtype}, "
           "expected float32, the dtype of the pixels.", "reshape the pixels as they are, without converting them.")
    expect(isinstance(first_digit, (int, np.integer)), f"`first_digit` is a {type(first_digit).__name__}, "
           "expected an integer.", "int(np.argmax(...)).")
    expect(first_digit == np.argmax(mnist.test.labels[0]),
           f"`first_digit` is {first_digit!r}, which is not the digit of the first test label.",
           "the label is one-hot: the digit is the position of its 1, np.argmax(mnist.test.labels[0]).")


@question("07.q2", "loss_fn")
def _(loss_fn):
    logits = [[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]
    labels = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    loss = expect_tensor(call(loss_fn, constant(logits), constant(labels), name="loss_fn"), "loss_fn(logits, labels)")
    expect(loss.shape.ndims == 0, f"loss_fn returned shape {loss.shape}; the loss should be one number.",
           "average the per-example cross-entropies with tf.reduce_mean.")
    log_softmax = np.subtract(logits, np.log(np.sum(np.exp(logits), axis=1, keepdims=True)))
    expected = -np.mean(np.sum(np.multiply(labels, log_softmax), axis=1))
    value = evaluate(loss)
    expect(np.isclose(value, expected, rtol=1e-5), f"loss_fn gives {value:.4f}, expected {expected:.4f}.",
           "tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)): "
           "the logits go in as they are, without softmax first.")
    confident = [[0.0, 0.0, 600.0], [0.0, 800.0, 0.0]]
    value = evaluate(call(loss_fn, constant(confident), constant(labels), name="loss_fn"))
    expect(np.isfinite(value) and np.isclose(value, 700.0, rtol=1e-5),
           f"for the confident, wrong logits {confident} the loss is {value}, expected 700 (-log of each true "
           "class's probability, averaged).", "softmax then log rounds tiny probabilities to 0 and gives inf or "
           "nan; tf.nn.softmax_cross_entropy_with_logits_v2 works on the logits and stays finite.")


@question("07.q3", "mnist", "X", "logits", "sess", "test_accuracy")
def _(mnist, X, logits, sess, test_accuracy):
    expect_tensor(X, "X")
    expect(X.dtype == dtypes.float32 and X.shape.as_list() == [None, 784],
           f"`X` has dtype {X.dtype.name} and shape {X.shape}, expected float32 and (?, 784).",
           "X = tf.placeholder(tf.float32, [None, 784]).")
    expect_tensor(logits, "logits")
    expect(logits.shape.as_list() == [None, 10], f"`logits` has shape {logits.shape}, expected (?, 10).",
           "the last layer has 10 units, one per digit.")
    expect(isinstance(sess, Session) and sess.graph is logits.graph,
           "`sess` should be the open tf.Session in which you trained the network.",
           "sess = tf.Session() and do not close it (no `with` block).")
    scores = call(sess.run, logits, {X: mnist.test.images}, name="sess.run", hints={
        RuntimeError: "`sess` must stay open: sess = tf.Session(), not a with block, which closes it."})
    measured = float(np.mean(np.argmax(scores, axis=1) == np.argmax(mnist.test.labels, axis=1)))
    target = target_accuracy(mnist)
    expect(np.isclose(test_accuracy, measured, atol=1e-3),
           f"`test_accuracy` is {test_accuracy!r}, but the network in `sess` scores {measured:.4f} on mnist.test.",
           "measure test_accuracy with this network, on mnist.test.images and mnist.test.labels.")
    expect(measured >= target, f"the test accuracy is {measured:.2%}; the target is {target:.0%}.",
           "more epochs, a hidden layer of about 200 ReLU units, AdamOptimizer(learning_rate=0.001), "
           "batches of 100.")
    predicted = np.argmax(sess.run(logits, feed_dict={X: mnist.validation.images}), axis=1)
    validation = float(np.mean(predicted == np.argmax(mnist.validation.labels, axis=1)))
    expect(measured - validation <= 0.05, f"the validation accuracy is {validation:.2%}, far below the test "
           f"accuracy {measured:.2%}: the network has learned the test images, not digits.",
           "train only on mnist.train; the test images are for measuring.")
