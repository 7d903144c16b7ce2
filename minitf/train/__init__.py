"""tf.train: optimizers that minimise a loss (notebook 05) and Saver checkpoints (notebook 07)."""
from .. import tf1_api
from .checkpoint_format import checkpoint_exists, get_checkpoint_state, latest_checkpoint  # noqa: F401
from .checkpoint_utils import (  # noqa: F401
    NewCheckpointReader, list_variables, load_checkpoint, load_variable,
)
from .coordinator import Coordinator  # noqa: F401
from . import io_ops  # noqa: F401  (registers SaveV2 and RestoreV2, for graphs TF1 wrote)
from .saver import Saver, export_meta_graph, import_meta_graph, write_graph  # noqa: F401
from .learning_rate_decay import (  # noqa: F401
    cosine_decay, exponential_decay, inverse_time_decay, natural_exp_decay, piecewise_constant, polynomial_decay,
)
from .moving_averages import ExponentialMovingAverage  # noqa: F401
from .optimizer import (  # noqa: F401
    AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer, Optimizer, RMSPropOptimizer,
)
from .input import (  # noqa: F401
    batch, input_producer, limit_epochs, range_input_producer, shuffle_batch, slice_input_producer,
    string_input_producer,
)
from .queue_runner import QueueRunner, add_queue_runner, start_queue_runners  # noqa: F401
from .training_util import create_global_step, get_global_step, get_or_create_global_step, global_step  # noqa: F401

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
