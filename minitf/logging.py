"""tf.logging: TF1's logging calls (``tf.logging.set_verbosity(tf.logging.INFO)``) on Python's logging."""
from . import tf1_api
import logging as _logging
import sys as _sys

DEBUG, INFO, WARN, ERROR, FATAL = _logging.DEBUG, _logging.INFO, _logging.WARNING, _logging.ERROR, _logging.FATAL
WARNING = WARN

_logger = _logging.getLogger("minitf")
if not _logger.handlers:
    _handler = _logging.StreamHandler()
    _handler.setFormatter(_logging.Formatter("%(levelname)s:tensorflow:%(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(WARN)
    _logger.propagate = False


def set_verbosity(level: int) -> None:
    _logger.setLevel(level)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


debug, info, warning, error, fatal = _logger.debug, _logger.info, _logger.warning, _logger.error, _logger.critical
warn = warning
log = _logger.log


def vlog(level: int, msg: str, *args) -> None:
    """Verbose logging: TF1 logs ``vlog(level, ...)`` at ``level``, like ``log``."""
    _logger.log(level, msg, *args)


def log_if(level: int, msg: str, condition: bool, *args) -> None:
    if condition:
        _logger.log(level, msg, *args)


_counts: dict = {}


def _count(where) -> int:
    _counts[where] = _counts.get(where, 0) + 1
    return _counts[where] - 1


def log_every_n(level: int, msg: str, n: int, *args) -> None:
    """Log ``msg`` the 1st, (n+1)th, (2n+1)th... time this line runs."""
    caller = _sys._getframe(1)
    log_if(level, msg, _count((caller.f_code, caller.f_lineno)) % n == 0, *args)


def log_first_n(level: int, msg: str, n: int, *args) -> None:
    """Log ``msg`` the first ``n`` times this line runs."""
    caller = _sys._getframe(1)
    log_if(level, msg, _count((caller.f_code, caller.f_lineno)) < n, *args)


def flush() -> None:
    for handler in _logger.handlers:
        handler.flush()

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
