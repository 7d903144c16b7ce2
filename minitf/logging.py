"""tf.logging: TF1's logging calls (``tf.logging.set_verbosity(tf.logging.INFO)``) on Python's logging."""
from . import tf1_api
import logging as _logging

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

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
