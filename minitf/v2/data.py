"""``tf.data`` in TensorFlow 2: the same Dataset as TF1's (``minitf/data.py``), iterated eagerly.

    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)
    for images, labels in train_ds:          # eager tensors, one batch at a time
        train_step(images, labels)
    model.fit(train_ds, epochs=5)            # Keras takes a dataset of (x, y) batches too
"""
from ..data import (  # noqa: F401
    AUTOTUNE,
    INFINITE,
    INFINITE_CARDINALITY,
    UNKNOWN,
    UNKNOWN_CARDINALITY,
    Dataset,
)
