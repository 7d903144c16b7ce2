"""tf.errors: the exceptions a Session raises at run time (notebook 03 shows them).

TensorFlow 1 raises these from ``Session.run`` when a kernel fails: an unfed placeholder, an
uninitialised variable, a reshape that does not fit.  Build-time mistakes (wrong shapes,
mixed dtypes) raise Python's ``ValueError`` / ``TypeError`` instead, as TF1 does.
"""
from __future__ import annotations

from . import tf1_api


class OpError(Exception):
    """A failure while running an operation.  ``str(e)`` is the message, ``e.op`` the operation."""

    error_code = 2

    def __init__(self, node_def, op, message, error_code=None):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message
        if error_code is not None:
            self.error_code = error_code

    def __str__(self):
        return self.message


class CancelledError(OpError):
    """The operation was cancelled."""
    error_code = 1


class UnknownError(OpError):
    """An unknown error."""
    error_code = 2


class InvalidArgumentError(OpError):
    """An argument has a bad value or shape (e.g. an unfed placeholder)."""
    error_code = 3


class DeadlineExceededError(OpError):
    """A deadline expired."""
    error_code = 4


class NotFoundError(OpError):
    """A file or a checkpoint key was not found."""
    error_code = 5


class AlreadyExistsError(OpError):
    """Something that was to be created exists already."""
    error_code = 6


class PermissionDeniedError(OpError):
    """No permission."""
    error_code = 7


class ResourceExhaustedError(OpError):
    """Out of memory or another resource."""
    error_code = 8


class FailedPreconditionError(OpError):
    """The system is not in a state to run the op (e.g. an uninitialised variable)."""
    error_code = 9


class AbortedError(OpError):
    """The operation was aborted."""
    error_code = 10


class OutOfRangeError(OpError):
    """Iterated past the end of the input."""
    error_code = 11


class UnimplementedError(OpError):
    """The operation is not implemented."""
    error_code = 12


class InternalError(OpError):
    """An internal invariant broke."""
    error_code = 13


class UnavailableError(OpError):
    """The runtime is unavailable."""
    error_code = 14


class DataLossError(OpError):
    """Unrecoverable data loss or corruption."""
    error_code = 15


class UnauthenticatedError(OpError):
    """No valid credentials."""
    error_code = 16


class OperatorNotAllowedInGraphError(TypeError):
    """A Python operation on a Tensor that needs its value, which a graph does not have yet
    (``if tensor:``, ``for x in tensor:``): use ``tf.cond`` or ``tf.while_loop`` instead."""


OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED = range(8)
RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE = range(8, 15)
DATA_LOSS, UNAUTHENTICATED = 15, 16

_BY_CODE = {cls.error_code: cls for cls in OpError.__subclasses__()}


def exception_type_from_error_code(error_code: int) -> type:
    """``tf.errors.exception_type_from_error_code(3)`` is ``InvalidArgumentError``."""
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls: type) -> int:
    """``tf.errors.error_code_from_exception_type(InvalidArgumentError)`` is 3."""
    return cls.error_code


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
