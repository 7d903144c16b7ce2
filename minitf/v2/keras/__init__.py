"""``tf.keras``: layers, models, and ``compile``/``fit``/``evaluate`` (notebook 08).

The seed's model, as TensorFlow 2 tutorials write it::

    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation=tf.nn.relu),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax)])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=5)

Read ``layers.py`` (how Keras layers reuse TF1's ``tf.layers``), ``models.py`` (the training
loop, one traced step per batch), ``optimizers.py`` (TF1's update kernels).
"""
from . import activations, backend, callbacks, datasets, initializers, layers, losses, metrics  # noqa: F401
from . import models, optimizers, regularizers, utils  # noqa: F401
from .layers import Input  # noqa: F401
from .models import Model, Sequential  # noqa: F401
