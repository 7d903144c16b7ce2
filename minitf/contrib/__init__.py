"""tf.contrib: the few contrib helpers classic TF1 tutorials use (``tf.contrib.layers``, ``rnn``, ``seq2seq``)."""
from .. import tf1_api
from . import layers  # noqa: F401
from ..rnn import contrib_rnn as rnn, contrib_seq2seq as seq2seq  # noqa: F401

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
