"""``tf.keras.utils``: ``to_categorical`` (class ids to one-hot rows), the same function as TF1's tf.keras has."""
from ...keras import to_categorical  # noqa: F401
