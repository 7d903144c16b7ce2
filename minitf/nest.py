"""Nested structures of lists, tuples and dicts (``tf.nest``, TF 1.13+ and TF2): flatten to leaves and rebuild.

``tf.print("w:", {"w": w})`` prints the dict around the tensor's value; in minitf.v2,
``tape.gradient(loss, [w, b])`` and a ``tf.function`` returning ``{"loss": l, "acc": a}``
give back the structure they were given.  These functions do that.
"""
from __future__ import annotations

from . import tf1_api


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def flatten(structure) -> list:
    """The leaves of ``structure`` in order (dicts by sorted key, as TensorFlow does)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure, flat_sequence):
    """``structure`` with its leaves replaced, in order, by ``flat_sequence``."""
    leaves = iter(flat_sequence)

    def pack(s):
        if isinstance(s, dict):
            packed = {key: pack(s[key]) for key in sorted(s)}
            return type(s)((key, packed[key]) for key in s)
        if isinstance(s, (list, tuple)):
            items = [pack(item) for item in s]
            if hasattr(s, "_fields"):     # namedtuple
                return type(s)(*items)
            return type(s)(items)
        return next(leaves)

    return pack(structure)


def map_structure(fn, structure):
    """``structure`` with ``fn`` applied to every leaf."""
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


def structure_key(structure):
    """A hashable description of the shape of a nest (types, lengths, keys), not of its leaves."""
    if isinstance(structure, dict):
        return ("dict", tuple((key, structure_key(structure[key])) for key in sorted(structure)))
    if isinstance(structure, (list, tuple)):
        return (type(structure).__name__, tuple(structure_key(item) for item in structure))
    return None


__all__ = ["flatten", "map_structure", "pack_sequence_as"]

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other tf.nest names: a clear error
