"""tf.image's resizes on random images, up and down, odd sizes, each pixel mapping: what TF 1.15 computes.

``image_resize.tf1_15.json`` holds TF 1.15's static shapes, dtypes, values and errors
(``record_tf.py image_resize <tf1.15 python>``); ``tests/ops/test_image_resize.py`` compares minitf's.
"""
import numpy as np
from runner import Run, registry

CASES, case = registry()

RNG = np.random.RandomState(42)
SMALL = RNG.uniform(-3, 3, size=(2, 4, 5, 2)).astype(np.float32)   # a batch of 2 images, 4x5, 2 channels
ODD = RNG.uniform(0, 1, size=(1, 7, 3, 2)).astype(np.float32)
PIXELS = RNG.randint(0, 256, size=(5, 6, 3)).astype(np.uint8)        # one uint8 image
GRADS = RNG.standard_normal((2, 6, 7, 2)).astype(np.float32)

SIZES = {"up": [6, 7], "down": [3, 2], "odd": [5, 9], "flat": [1, 1]}
FLAGS = {"legacy": {}, "align_corners": {"align_corners": True}, "half_pixel": {"half_pixel_centers": True}}


def _resizes(fn_name, images, size, flags):
    def build(tf):
        return getattr(tf.image, fn_name)(tf.constant(images), size, **flags)
    build.__name__ = "{}_{}".format(fn_name, "_".join(str(s) for s in size))
    return build


for _size_name, _size in sorted(SIZES.items()):
    for _flags_name, _flags in sorted(FLAGS.items()):
        for _fn, _images in (("resize_bilinear", SMALL), ("resize_nearest_neighbor", SMALL),
                             ("resize_bilinear", ODD), ("resize_nearest_neighbor", ODD)):
            _name = "{}_{}_{}_{}".format(_fn, _size_name, _flags_name, _images.shape[1])
            CASES[_name] = _resizes(_fn, _images, _size, _flags)


@case
def resize_images_one_uint8_image(tf):
    image = tf.constant(PIXELS)
    return [tf.image.resize_images(image, [9, 4]),
            tf.image.resize_images(image, [3, 8], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR),
            tf.image.resize_images(image, [8, 11], align_corners=True),
            tf.image.resize_images(image, [5, 6])]


@case
def resize_images_of_a_placeholder_batch(tf):
    p = tf.placeholder(tf.float32, [None, 4, 5, 2], name="p")
    return Run([tf.image.resize_images(p, [14, 14]), tf.image.resize(p, [2, 3], method=1),
                tf.image.resize_images(p, [10, 20], preserve_aspect_ratio=True)], {p: SMALL})


@case
def resize_images_of_unknown_size(tf):
    p = tf.placeholder(tf.float32, None, name="p")
    size = tf.placeholder(tf.int32, [2], name="size")
    return Run([tf.image.resize_bilinear(p, size), tf.image.resize_nearest_neighbor(p, [3, 3])],
               {p: ODD, size: [4, 4]})


@case
def gradients_of_the_resizes(tf):
    results = []
    for flags in FLAGS.values():
        x = tf.constant(SMALL)
        grads = tf.constant(GRADS)
        results += [tf.gradients(tf.image.resize_bilinear(x, [6, 7], **flags), x, grad_ys=grads)[0],
                    tf.gradients(tf.image.resize_nearest_neighbor(x, [6, 7], **flags), x, grad_ys=grads)[0]]
    x64 = tf.constant(SMALL.astype(np.float64))
    results.append(tf.gradients(tf.image.resize_bilinear(x64, [6, 7]), x64, grad_ys=grads)[0])
    return results


@case
def gradients_of_a_placeholder_of_unknown_shape(tf):
    p = tf.placeholder(tf.float32, None, name="p")
    grad = tf.gradients(tf.image.resize_nearest_neighbor(p, [2, 3]), p)[0]
    return Run([grad], {p: SMALL})


@case
def both_flags_at_once(tf):
    return tf.image.resize_bilinear(SMALL, [3, 3], align_corners=True, half_pixel_centers=True)


@case
def an_empty_image(tf):
    return tf.image.resize_bilinear(np.zeros((1, 0, 3, 1), np.float32), [2, 2])


@case
def a_zero_output_size(tf):
    size = tf.placeholder(tf.int32, [2], name="size")
    return Run(tf.image.resize_nearest_neighbor(SMALL, size), {size: [0, 3]})


@case
def images_of_rank_2(tf):
    return tf.image.resize_images(np.zeros((4, 4), np.float32), [2, 2])


@case
def a_size_of_three_values(tf):
    return tf.image.resize_images(SMALL, [2, 2, 2])


@case
def an_unknown_method(tf):
    return tf.image.resize_images(SMALL, [2, 2], method=7)
