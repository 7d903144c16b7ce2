"""tf.image: the image helpers TF1 tutorials use to prepare and augment pictures (notebook 07's data).

Images are ``[height, width, channels]`` tensors, or batches of them ``[batch, height, width,
channels]``; each function is built from minitf's ops exactly as TF1 builds it, so it runs in
the graph, on every batch, and the random ones draw anew at each ``run``.  TF 1.15's other
``tf.image`` functions (resizing, colour jitter...) raise one clear error that says so.
"""
from __future__ import annotations

from . import dtypes, tf1_api
from .graph import name_scope
from .ops.array_ops import expand_dims, identity, reverse
from .ops.base import convert_to_tensor
from .ops.clip_ops import clip_by_value
from .ops.control_flow_ops import cond
from .ops.math_ops import (cast, div, floordiv, less, maximum, multiply, reduce_mean, reduce_prod, reduce_std, round_,
                           rsqrt, subtract, tensordot)
from .ops.random_ops import random_crop, random_uniform  # noqa: F401  (tf.image.random_crop is tf.random_crop)
from .ops.shape_ops import reshape, shape


def _image_axis(image, axis: int) -> int:
    """The axis ``axis`` of one image, in ``image`` (one image, or a batch of them)."""
    if image.shape.ndims not in (3, 4):
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")
    return axis + image.shape.ndims - 3


def flip_left_right(image):
    """``tf.image.flip_left_right``: each image mirrored (its width axis reversed)."""
    with name_scope(None, "flip_left_right", [image]):
        image = convert_to_tensor(image, name="image")
        return reverse(image, [_image_axis(image, 1)])


def flip_up_down(image):
    """``tf.image.flip_up_down``: each image upside down (its height axis reversed)."""
    with name_scope(None, "flip_up_down", [image]):
        image = convert_to_tensor(image, name="image")
        return reverse(image, [_image_axis(image, 0)])


def _random_flip(image, axis: int, seed, scope_name: str):
    """Each image reversed along ``axis`` with probability 1/2, drawn anew at each run."""
    with name_scope(None, scope_name, [image]) as scope:
        image = convert_to_tensor(image, name="image")
        axis = _image_axis(image, axis)
        if image.shape.ndims == 3:
            flip = less(random_uniform([], 0, 1.0, seed=seed), 0.5)
            result = cond(flip, lambda: reverse(image, [axis]), lambda: image, name=scope)
            result.set_shape(image.shape)
            return result
        batch_size = shape(image)[0]
        flips = cast(round_(reshape(random_uniform([batch_size], 0, 1.0, seed=seed), [batch_size, 1, 1, 1])),
                     image.dtype)
        return flips * reverse(image, [axis]) + (1 - flips) * image


def random_flip_left_right(image, seed=None):
    """``tf.image.random_flip_left_right``: each image mirrored, or not, at random (augmentation)."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """``tf.image.random_flip_up_down``: each image upside down, or not, at random."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def per_image_standardization(image):
    """``tf.image.per_image_standardization``: each image shifted to mean 0 and scaled to variance 1,
    its stddev taken at least ``1 / sqrt(number of values)`` (a flat image stays finite); computed in
    float32, then converted back to the image's dtype (saturating), as TF 1.15 does."""
    with name_scope(None, "per_image_standardization", [image]) as scope:
        image = convert_to_tensor(image, name="image")
        if image.shape.ndims is not None and image.shape.ndims < 3:
            raise ValueError(f"'image' (shape {image.shape}) must be at least three-dimensional.")
        source = image.dtype.base_dtype
        if source not in (dtypes.float16, dtypes.float32):
            image = convert_image_dtype(image, dtypes.float32)
        num_pixels = reduce_prod(shape(image)[-3:])
        stddev = reduce_std(image, axis=[-1, -2, -3], keepdims=True)
        scale = maximum(stddev, rsqrt(cast(num_pixels, image.dtype)))
        image = div(subtract(image, reduce_mean(image, axis=[-1, -2, -3], keepdims=True)), scale, name=scope)
        return convert_image_dtype(image, source, saturate=True)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``tf.image.convert_image_dtype``: pixel values rescaled between dtypes -- integers span their
    type's range (0..255 for uint8), floats span [0, 1)."""
    image = convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if dtype == image.dtype.base_dtype:
        return identity(image, name=name)
    with name_scope(name, "convert_image", [image]) as scope:
        source = image.dtype.base_dtype

        def to_dtype(x, name=None):
            return cast(clip_by_value(x, dtype.min, dtype.max) if saturate else x, dtype, name=name)

        if source.is_integer and dtype.is_integer:
            if source.max > dtype.max:
                return to_dtype(floordiv(image, (source.max + 1) // (dtype.max + 1)), name=scope)
            return multiply(to_dtype(image), (dtype.max + 1) // (source.max + 1), name=scope)
        if source.is_floating and dtype.is_floating:
            return cast(image, dtype, name=scope)
        if source.is_integer:
            return multiply(cast(image, dtype), 1.0 / source.max, name=scope)
        return to_dtype(multiply(image, dtype.max + 0.5), name=scope)


def rgb_to_grayscale(images, name=None):
    """``tf.image.rgb_to_grayscale``: one channel, ``0.2989 R + 0.587 G + 0.114 B``."""
    with name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        source = images.dtype.base_dtype
        gray = tensordot(convert_image_dtype(images, dtypes.float32), [0.2989, 0.5870, 0.1140], [-1, -1])
        return convert_image_dtype(expand_dims(gray, -1), source, name=scope)


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
