"""TF1's queue-based input pipelines: input producers and batching (before ``tf.data``).

    filename_queue = tf.train.string_input_producer(['data.csv'], shuffle=False)
    key, value = tf.TextLineReader().read(filename_queue)
    xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
    x_batch, y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)   # batch:0 (10, 3), batch:1 (10, 1)

Each function builds what TensorFlow 1.15 builds -- a queue, its enqueue op, a ``QueueRunner`` in
``GraphKeys.QUEUE_RUNNERS``, a ``fraction_of_N_full`` summary, a dequeue -- with TF's names, so
the tensors print as TF printed them.  ``tf.train.start_queue_runners(sess)`` sets the runners
going; ``num_epochs`` counts in a local variable (run ``tf.local_variables_initializer()``) and
ends the input with ``OutOfRangeError``.
"""
from __future__ import annotations

from .. import dtypes
from ..graph import GraphKeys, control_dependencies, get_default_graph, name_scope
from ..ops.array_ops import gather, identity, range_
from ..ops.base import convert_to_tensor
from ..ops.control_flow_ops import Assert_
from ..ops.data_flow_ops import FIFOQueue, RandomShuffleQueue
from ..ops.math_ops import cast, greater, maximum
from ..ops.random_ops import random_shuffle
from ..ops.shape_ops import shape, size
from ..ops.state_ops import count_up_to
from ..summary.summary_ops import scalar
from ..tensor_shape import TensorShape
from ..variables import Variable
from .queue_runner import QueueRunner, add_queue_runner

_NO_EAGER = ("Input pipelines based on Queues are not supported when eager execution is enabled. Please use "
             "tf.data to ingest data into your model instead.")


def _graph_only(error: type = RuntimeError) -> None:
    """TF's refusal of queues under eager execution (a RuntimeError from the producers, ValueError from batching)."""
    if get_default_graph().executes_eagerly:
        raise error(_NO_EAGER)


def limit_epochs(tensor, num_epochs=None, name=None):
    """``tensor``, which fails with OutOfRangeError after ``num_epochs`` runs (a local ``epochs`` counter)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs") as scope:
        epochs = Variable(convert_to_tensor(0, dtype=dtypes.int64), name="epochs", trainable=False,
                          collections=[GraphKeys.LOCAL_VARIABLES])
        with control_dependencies([count_up_to(epochs, num_epochs)]):
            return identity(tensor, name=scope)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle: bool = True, seed=None,
                   capacity: int = 32, shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A FIFO queue fed with the rows of ``input_tensor`` (shuffled each epoch with ``shuffle``),
    ``num_epochs`` times over (forever if None); returns the queue."""
    _graph_only()
    with name_scope(name, "input_producer") as scope:
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(TensorShape(element_shape))
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        queue = FIFOQueue(capacity, [input_tensor.dtype.base_dtype], [element_shape], shared_name=shared_name,
                          name=scope)
        add_queue_runner(QueueRunner(queue, [queue.enqueue_many([input_tensor])], cancel_op=cancel_op))
        if summary_name is not None:
            scalar(summary_name, cast(queue.size(), dtypes.float32) * (1.0 / capacity))
        return queue


def string_input_producer(string_tensor, num_epochs=None, shuffle: bool = True, seed=None, capacity: int = 32,
                          shared_name=None, name=None, cancel_op=None):
    """A queue of file names for a reader (``tf.TextLineReader().read(queue)``)."""
    not_null = "string_input_producer requires a non-null input tensor"
    if not hasattr(string_tensor, "dtype") and not len(string_tensor):
        raise ValueError(not_null)
    with name_scope(name, "input_producer") as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with control_dependencies([Assert_(greater(size(string_tensor), 0), [not_null])]):
            string_tensor = identity(string_tensor)
        return input_producer(string_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", scope, cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle: bool = True, seed=None, capacity: int = 32,
                         shared_name=None, name=None):
    """A queue of the integers ``0 .. limit-1``."""
    with name_scope(name, "input_producer") as scope:
        return input_producer(range_(limit), [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle: bool = True, seed=None, capacity: int = 32,
                         shared_name=None, name=None) -> list:
    """One row of each tensor of ``tensor_list`` per run (the same row of each), through a queue of indices."""
    with name_scope(name, "input_producer"):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        queue = range_input_producer(shape(tensor_list[0])[0], num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [gather(t, index) for t in tensor_list]


# ---- batching ------------------------------------------------------------------------------------
def _tensor_list(tensors) -> list:
    """``tensors`` (a list, or a dict in key order) as tensors; a list of tensors becomes one (``packed``)."""
    items = [tensors[k] for k in sorted(tensors, key=str)] if isinstance(tensors, dict) else list(tensors)
    converted = [convert_to_tensor(t) for t in items]
    if not converted:
        raise ValueError("Expected at least one tensor in batch().")
    return converted


def _shapes(tensor_list: list, shapes, enqueue_many: bool) -> list:
    if shapes is not None:
        return shapes
    result = []
    for t in tensor_list:
        if t.shape.ndims is None:
            raise ValueError(f"Cannot infer Tensor's rank: {t}")
        result.append(t.shape.with_rank_at_least(1)[1:] if enqueue_many else t.shape)
    return result


def _enqueue(queue, tensor_list: list, num_threads: int, enqueue_many: bool) -> None:
    """A runner filling ``queue`` from ``tensor_list`` with ``num_threads`` threads (one enqueue op)."""
    enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
    add_queue_runner(QueueRunner(queue, [enqueue(tensor_list)] * num_threads))


def _dequeue(tensors, queue, batch_size, allow_smaller_final_batch: bool, name: str):
    """The batches, shaped as the input: a dict for a dict; else, as TF 1.15 does, a list, or one
    tensor when there was one."""
    dequeue = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
    dequeued = dequeue(batch_size, name=name)
    if isinstance(tensors, dict):
        dequeued = dequeued if isinstance(dequeued, list) else [dequeued]
        return {k: dequeued[i] for i, k in enumerate(sorted(tensors, key=str))}
    return dequeued


def batch(tensors, batch_size, num_threads: int = 1, capacity: int = 32, enqueue_many: bool = False, shapes=None,
          dynamic_pad: bool = False, allow_smaller_final_batch: bool = False, shared_name=None, name=None):
    """``tensors`` (one example; a batch of them with ``enqueue_many``) in batches of ``batch_size``,
    in order: ``batch:0`` of shape ``(batch_size, ...)``, ``(?, ...)`` with ``allow_smaller_final_batch``."""
    _graph_only(ValueError)
    if dynamic_pad:
        raise NotImplementedError("minitf's tf.train.batch has no dynamic_pad: give examples of one shape")
    with name_scope(name, "batch") as scope:
        tensor_list = _tensor_list(tensors)
        shapes = _shapes(tensor_list, shapes, enqueue_many)
        queue = FIFOQueue(capacity, [t.dtype.base_dtype for t in tensor_list], shapes, shared_name=shared_name)
        _enqueue(queue, tensor_list, num_threads, enqueue_many)
        scalar(f"fraction_of_{capacity}_full", cast(queue.size(), dtypes.float32) * (1.0 / capacity))
        return _dequeue(tensors, queue, batch_size, allow_smaller_final_batch, scope)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads: int = 1, seed=None,
                  enqueue_many: bool = False, shapes=None, allow_smaller_final_batch: bool = False, shared_name=None,
                  name=None):
    """Like ``batch``, but each batch is drawn at random from a queue holding at least
    ``min_after_dequeue`` examples (until the input ends)."""
    _graph_only(ValueError)
    with name_scope(name, "shuffle_batch") as scope:
        if capacity <= min_after_dequeue:
            raise ValueError(f"capacity {capacity} must be bigger than min_after_dequeue {min_after_dequeue}.")
        tensor_list = _tensor_list(tensors)
        shapes = _shapes(tensor_list, shapes, enqueue_many)
        queue = RandomShuffleQueue(capacity, min_after_dequeue, [t.dtype.base_dtype for t in tensor_list], shapes,
                                   seed=seed, shared_name=shared_name)
        _enqueue(queue, tensor_list, num_threads, enqueue_many)
        full = cast(maximum(0, queue.size() - min_after_dequeue), dtypes.float32) * (
            1.0 / (capacity - min_after_dequeue))
        scalar(f"fraction_over_{min_after_dequeue}_of_{capacity - min_after_dequeue}_full", full)
        return _dequeue(tensors, queue, batch_size, allow_smaller_final_batch, scope)
