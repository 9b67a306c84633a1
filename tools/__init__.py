"""Developer tools kept out of the product: evaluation (`make eval`) and benchmarks (`make bench`)."""

from bot.runtime.settings import PROJECT_ROOT

# The evaluation sets, written apart from the training data (docs/evaluation.md).
EVAL_DIR = PROJECT_ROOT / "eval"
RESULTS_DIR = PROJECT_ROOT / "results"
