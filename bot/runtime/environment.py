"""The environment every process of the assistant runs in, defined once.

Offline models (the embedding weights ship in a package; nothing may reach a model hub),
no telemetry and quiet libraries. ``python -m
bot.runtime.launch`` applies it to every Makefile target and to every process the launcher
starts; the tests apply it too.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

OFFLINE_ENVIRONMENT = {
    # Any attempt to reach a model hub fails at once instead of hanging on a closed network.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
    # transformers would otherwise import TensorFlow (installed for Rasa): seconds and ~400 MB.
    "USE_TF": "0",
    "USE_TORCH": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def apply_offline_environment(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set the variables above (before the libraries that read them are imported)."""
    environ.update(OFFLINE_ENVIRONMENT)
