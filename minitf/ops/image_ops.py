"""Resizing images: TF1's ResizeBilinear and ResizeNearestNeighbor ops and their gradients.

Both map each output pixel back to a position in the input, one axis at a time.  TF 1.15's
default is the *legacy* mapping: output pixel ``i`` reads input position ``i * in / out`` (the
images' top-left corners line up, the bottom-right ones do not).  ``align_corners=True`` uses
``i * (in - 1) / (out - 1)`` (both corners line up); ``half_pixel_centers=True`` maps pixel
centres, ``(i + 0.5) * in / out - 0.5``, as most other libraries do.

* Bilinear: the four input pixels around the position, weighted by how near they are; float32
  out, computed in float32 as TF's kernel does.
* Nearest neighbour: the input pixel at the position, rounded down (rounded, with
  ``align_corners``); the image keeps its dtype.

Both are linear in the image, so each gradient is the transposed map: every output gradient
goes back to the input pixels that output read, with the same weights.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import xp
from ..errors import InvalidArgumentError
from ..tensor_shape import TensorShape
from .base import Op, ShapeError, apply_op
from .shape_ops import shape, shape_from_tensor

_IMAGE_TYPES = ("int8", "uint8", "int16", "uint16", "int32", "int64", "bfloat16", "float16", "float32", "float64")


# ---- the mapping from output pixels to input positions ------------------------------------------
def _scale(in_size: int, out_size: int, align_corners: bool) -> np.float32:
    """TF's CalculateResizeScale: input pixels per output pixel."""
    if align_corners and out_size > 1:
        return np.float32((in_size - 1) / (out_size - 1))
    return np.float32(in_size / out_size)


def _positions(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool,
               nearest: bool = False) -> np.ndarray:
    """The float32 input position each output pixel reads (nearest neighbour: no ``- 0.5``)."""
    scale = _scale(in_size, out_size, align_corners)
    index = np.arange(out_size, dtype=np.float32)
    if not half_pixel_centers:
        return index * scale
    centres = (index + np.float32(0.5)) * scale
    return centres if nearest else centres - np.float32(0.5)


def _bilinear_weights(in_size, out_size, align_corners, half_pixel_centers):
    """For each output pixel: the input pixels below and above its position, and the weight of the
    one above (``lerp``), as TF's ``compute_interpolation_weights``."""
    position = _positions(in_size, out_size, align_corners, half_pixel_centers)
    floor = np.floor(position)
    lower = np.maximum(floor.astype(np.int64), 0)
    upper = np.minimum(np.ceil(position).astype(np.int64), in_size - 1)
    return lower, upper, position - floor


def _nearest_indices(in_size, out_size, align_corners, half_pixel_centers) -> np.ndarray:
    """For each output pixel: the input pixel it copies (rounded half away from zero with
    ``align_corners``, else rounded down)."""
    position = _positions(in_size, out_size, align_corners, half_pixel_centers, nearest=True)
    index = np.floor(position + np.float32(0.5)) if align_corners else np.floor(position)
    return np.clip(index.astype(np.int64), 0, in_size - 1)


def _bilinear_matrix(in_size, out_size, align_corners, half_pixel_centers) -> np.ndarray:
    """The ``(out, in)`` float32 matrix of bilinear weights along one axis."""
    lower, upper, lerp = _bilinear_weights(in_size, out_size, align_corners, half_pixel_centers)
    matrix = np.zeros((out_size, in_size), np.float32)
    rows = np.arange(out_size)
    np.add.at(matrix, (rows, lower), 1 - lerp)
    np.add.at(matrix, (rows, upper), lerp)
    return matrix


def _nearest_matrix(in_size, out_size, align_corners, half_pixel_centers) -> np.ndarray:
    """The ``(out, in)`` matrix that copies, for each output pixel, its nearest input pixel."""
    matrix = np.zeros((out_size, in_size), np.float32)
    matrix[np.arange(out_size), _nearest_indices(in_size, out_size, align_corners, half_pixel_centers)] = 1
    return matrix


def _transposed_map(grad, rows: np.ndarray, cols: np.ndarray, dtype):
    """``rows.T @ grad @ cols`` for each image and channel: the output gradients ``(n, out_h, out_w,
    c)`` sent back to the ``(n, in_h, in_w, c)`` pixels they were read from."""
    grad = grad.astype(dtype, copy=False)
    spread = xp.einsum("yi,nyxc->nixc", xp.asarray(rows.astype(dtype)), grad)
    return xp.einsum("xj,nixc->nijc", xp.asarray(cols.astype(dtype)), spread)


# ---- the ops ----------------------------------------------------------------------------------
class _Resize(Op):
    """Attributes and checks shared by the resize ops: ``(images, size)``."""

    def __init__(self, align_corners: bool = False, half_pixel_centers: bool = False):
        self.align_corners, self.half_pixel_centers = bool(align_corners), bool(half_pixel_centers)

    def out_shape(self, images, size) -> TensorShape:
        if images.shape.ndims not in (None, 4):
            raise ShapeError(f"Shape must be rank 4 but is rank {images.shape.ndims}")
        if size.shape.ndims not in (None, 1):
            raise ShapeError(f"Shape must be rank 1 but is rank {size.shape.ndims}")
        dims = images.shape.as_list() if images.shape.dims is not None else [None] * 4
        height, width = shape_from_tensor(size).merge_with(TensorShape([None, None])).as_list()
        return TensorShape([dims[0], height, width, dims[3]])

    def check(self, images, out_height: int, out_width: int) -> None:
        """TF's kernel checks (ImageResizerState), before anything is computed."""
        if images.ndim != 4:
            raise InvalidArgumentError(None, None, f"input must be 4-dimensional[{','.join(map(str, images.shape))}]")
        if self.align_corners and self.half_pixel_centers:
            raise InvalidArgumentError(None, None, "If half_pixel_centers is True, align_corners must be False.")
        if images.shape[1] == 0 or images.shape[2] == 0:
            raise InvalidArgumentError(None, None, "input image must be of non-zero size")
        if out_height <= 0 or out_width <= 0:
            raise InvalidArgumentError(None, None, "output dimensions must be positive")

    def flags(self) -> tuple:
        return self.align_corners, self.half_pixel_centers


class ResizeBilinear(_Resize):
    """Each output pixel: the four input pixels around its position, mixed by distance (float32)."""

    type = "ResizeBilinear"
    allowed_dtypes = {0: ("images", _IMAGE_TYPES)}

    def infer(self, images, size):
        return dtypes.float32, self.out_shape(images, size)

    def forward(self, images, size):
        out_h, out_w = (int(s) for s in size)
        self.check(images, out_h, out_w)
        images = images.astype(np.float32, copy=False)
        top, bottom, y_lerp = (xp.asarray(a) for a in _bilinear_weights(images.shape[1], out_h, *self.flags()))
        left, right, x_lerp = (xp.asarray(a) for a in _bilinear_weights(images.shape[2], out_w, *self.flags()))
        x_lerp, y_lerp = x_lerp[:, None], y_lerp[:, None, None]
        upper_rows, lower_rows = images[:, top], images[:, bottom]
        top_row = upper_rows[:, :, left] + (upper_rows[:, :, right] - upper_rows[:, :, left]) * x_lerp
        bottom_row = lower_rows[:, :, left] + (lower_rows[:, :, right] - lower_rows[:, :, left]) * x_lerp
        return top_row + (bottom_row - top_row) * y_lerp

    def gradient(self, op, grad):
        return [apply_op(ResizeBilinearGrad(*self.flags()), (grad, op.inputs[0]), "ResizeBilinearGrad",
                         same_dtype=False, arg_names=("grads", "original_image")), None]


class ResizeBilinearGrad(_Resize):
    """ResizeBilinear's gradient: each output gradient back to its four input pixels, with their weights.

    ``(grads, original_image)`` -> a gradient of the original image's shape and dtype.
    """

    type = "ResizeBilinearGrad"
    allowed_dtypes = {0: ("grads", "float32"), 1: ("original_image", ("float32", "bfloat16", "float16", "float64"))}

    def infer(self, grads, original_image):
        return original_image.dtype.base_dtype, original_image.shape

    def forward(self, grads, original_image):
        _, in_h, in_w, _ = original_image.shape
        _, out_h, out_w, _ = grads.shape
        rows = _bilinear_matrix(in_h, out_h, *self.flags())
        cols = _bilinear_matrix(in_w, out_w, *self.flags())
        return _transposed_map(grads, rows, cols, original_image.dtype)

    def gradient(self, op, grad):
        return [apply_op(ResizeBilinear(*self.flags()), (grad, shape(op.inputs[0])[1:3]), "ResizeBilinear",
                         same_dtype=False, arg_names=("images", "size")), None]


class ResizeNearestNeighbor(_Resize):
    """Each output pixel: a copy of the input pixel at its position (the dtype is kept)."""

    type = "ResizeNearestNeighbor"
    allowed_dtypes = {0: ("images", _IMAGE_TYPES)}

    def infer(self, images, size):
        return images.dtype.base_dtype, self.out_shape(images, size)

    def forward(self, images, size):
        out_h, out_w = (int(s) for s in size)
        self.check(images, out_h, out_w)
        rows = xp.asarray(_nearest_indices(images.shape[1], out_h, *self.flags()))
        cols = xp.asarray(_nearest_indices(images.shape[2], out_w, *self.flags()))
        return images[:, rows][:, :, cols]

    def gradient(self, op, grad):
        images = op.inputs[0]
        static = images.shape[1:3] if images.shape.dims is not None else TensorShape(None)
        size = static.as_list() if static.is_fully_defined() else shape(images)[1:3]
        return [apply_op(ResizeNearestNeighborGrad(*self.flags()), (grad, size), "ResizeNearestNeighborGrad",
                         same_dtype=False, arg_names=("grads", "size")), None]


class ResizeNearestNeighborGrad(_Resize):
    """ResizeNearestNeighbor's gradient: each input pixel gets the sum of the gradients of the output
    pixels that copied it.  ``(grads, size)``: ``size`` is the original image's height and width."""

    type = "ResizeNearestNeighborGrad"
    allowed_dtypes = {0: ("grads", ("uint8", "int8", "int32", "float16", "float32", "float64", "bfloat16"))}

    def infer(self, grads, size):
        return grads.dtype.base_dtype, self.out_shape(grads, size)

    def forward(self, grads, size):
        in_h, in_w = (int(s) for s in size)
        rows = _nearest_matrix(in_h, grads.shape[1], *self.flags())
        cols = _nearest_matrix(in_w, grads.shape[2], *self.flags())
        return _transposed_map(grads, rows, cols, grads.dtype)

    def gradient(self, op, grad):
        grads = op.inputs[0]
        return [apply_op(ResizeNearestNeighbor(*self.flags()), (grad, shape(grads)[1:3]), "ResizeNearestNeighbor",
                         same_dtype=False, arg_names=("images", "size")), None]


def _resize(kind_cls, images, size, align_corners, half_pixel_centers, name):
    return apply_op(kind_cls(align_corners, half_pixel_centers), (images, size), name or kind_cls.type,
                    same_dtype=False, arg_names=("images", "size"))


def resize_bilinear(images, size, align_corners: bool = False, name=None, half_pixel_centers: bool = False):
    """``tf.image.resize_bilinear``: ``[batch, height, width, channels]`` images to ``size`` ``[new_height,
    new_width]`` by bilinear interpolation; float32 out (op ResizeBilinear)."""
    return _resize(ResizeBilinear, images, size, align_corners, half_pixel_centers, name)


def resize_nearest_neighbor(images, size, align_corners: bool = False, name=None, half_pixel_centers: bool = False):
    """``tf.image.resize_nearest_neighbor``: ``[batch, height, width, channels]`` images to ``size``
    by copying the nearest pixel; the dtype is kept (op ResizeNearestNeighbor)."""
    return _resize(ResizeNearestNeighbor, images, size, align_corners, half_pixel_centers, name)
