"""tf.image: the image helpers TF1 tutorials use to prepare and augment pictures (notebook 07's data).

Images are ``[height, width, channels]`` tensors, or batches of them ``[batch, height, width,
channels]``; each function is built from minitf's ops exactly as TF1 builds it, so it runs in
the graph, on every batch, and the random ones draw anew at each ``run``.  Resizing is two ops
(``ops/image_ops.py``: bilinear and nearest neighbour).  TF 1.15's other ``tf.image`` functions
(bicubic resizing, colour jitter...) raise one clear error that says so.
"""
from __future__ import annotations

import numpy as np

from . import dtypes, tf1_api
from .graph import name_scope
from .ops.array_ops import expand_dims, identity, reverse, squeeze, stack
from .ops.base import convert_to_tensor
from .ops.clip_ops import clip_by_value
from .ops.control_flow_ops import cond
from .ops.image_ops import resize_bilinear, resize_nearest_neighbor
from .ops.math_ops import (cast, div, floordiv, less, maximum, minimum, multiply, reduce_mean, reduce_prod, reduce_std,
                           round_, rsqrt, subtract, tensordot)
from .ops.random_ops import random_crop, random_uniform  # noqa: F401  (tf.image.random_crop is tf.random_crop)
from .ops.shape_ops import reshape, shape, shape_from_tensor


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



class ResizeMethod:
    """``tf.image.ResizeMethod``: TF 1.15's ``method`` values for :func:`resize_images`."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZERS = {ResizeMethod.BILINEAR: resize_bilinear, "bilinear": resize_bilinear,   # (TF2's names work too)
             ResizeMethod.NEAREST_NEIGHBOR: resize_nearest_neighbor, "nearest": resize_nearest_neighbor}
_NOT_COMPUTED = {ResizeMethod.BICUBIC: "BICUBIC", "bicubic": "BICUBIC", ResizeMethod.AREA: "AREA", "area": "AREA"}


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False, preserve_aspect_ratio=False,
                  name=None):
    """``tf.image.resize_images`` (and ``tf.image.resize``): one image ``[height, width, channels]`` or a
    batch of them to ``size`` ``[new_height, new_width]``.

    ``method`` is ``ResizeMethod.BILINEAR`` (float32 out) or ``NEAREST_NEIGHBOR`` (dtype kept), with TF
    1.15's legacy pixel mapping unless ``align_corners``; ``preserve_aspect_ratio`` scales both sides by
    the same factor, to fit inside ``size``.  Images already of that size come back unchanged.
    """
    with name_scope(name, "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = expand_dims(images, 0)
        elif not is_batch:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_list()
        try:
            size = convert_to_tensor(size, dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        if preserve_aspect_ratio:
            size = convert_to_tensor(_fit_inside(images, size), dtypes.int32, name="size")
        new_height, new_width = shape_from_tensor(size).as_list()
        if (height, width) == (new_height, new_width) and None not in (height, width):
            return images if is_batch else squeeze(images, axis=[0])
        resizer = _RESIZERS.get(method)
        if resizer is None:
            if method in _NOT_COMPUTED:
                raise NotImplementedError(
                    f"minitf's tf.image.resize_images computes ResizeMethod.BILINEAR and NEAREST_NEIGHBOR only, "
                    f"not {_NOT_COMPUTED[method]}: use one of those, or resize with numpy before feeding the images")
            raise ValueError("Resize method is not implemented.")
        images = resizer(images, size, align_corners=align_corners)
        images.set_shape([None, new_height, new_width, None])
        return images if is_batch else squeeze(images, axis=[0])


def _fit_inside(images, size):
    """The height and width of ``images`` scaled by one factor to fit inside ``size``, as TF computes
    them (in float32, rounded half to even): Python ints when the graph knows every size (TF's
    constant folding gives the result a static shape), else ops."""
    wanted, current = shape_from_tensor(size).as_list(), images.shape.as_list()[1:3]
    if None not in wanted + current:
        factor = min(np.float32(w) / np.float32(c) for w, c in zip(wanted, current))
        return [int(np.round(factor * np.float32(c))) for c in current]
    dynamic = shape(images)
    current = [cast(dynamic[i + 1] if c is None else c, dtypes.float32) for i, c in enumerate(current)]
    factor = minimum(div(cast(size[0], dtypes.float32), current[0]), div(cast(size[1], dtypes.float32), current[1]))
    return stack([cast(round_(multiply(factor, c)), dtypes.int32) for c in current])


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
