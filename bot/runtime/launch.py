"""Run a Python module (Rasa, rasa_sdk, pytest, the knowledge CLI...) in the project's
environment: ``python -m bot.runtime.launch rasa shell ...``.

Every Makefile target and every process the launcher starts goes through here, so the
offline environment (``bot.runtime.environment``) is set before any library reads it.

It also keeps other libraries' deprecation warnings off the staff's screen. ``PYTHONWARNINGS=
ignore`` alone is not enough: two filters put in front of it brought a screenful of
warnings from TensorFlow, SQLAlchemy, pyparsing and others back to ``rasa shell``: Sanic's
``once`` for every ``DeprecationWarning`` (on import), and Rasa's ``once`` for every
``UserWarning`` (when its CLI starts; pyparsing's deprecation warnings are also
``UserWarning``). This restores the intent, after both. Rasa's own warnings about the
assistant's data still show.
"""

from __future__ import annotations

import runpy
import sys
import warnings

from bot.runtime.environment import apply_offline_environment

# Modules that import Sanic, whose import puts its warning filter in first (bot: its
# forget, purge and report commands read Rasa's tracker store).
_SANIC_USERS = ("rasa", "rasa_sdk", "bot")


def ignore_library_deprecations() -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)


def _after_rasas_own_filters() -> None:
    # A private Rasa function: the one place Rasa puts its filter in front. If an upgrade
    # renames it, tests/unit/test_quiet_launch.py fails.
    import rasa.utils.common as rasa_common

    rasas_filters = rasa_common._filter_warnings

    def filter_then_ignore_deprecations(*args: object, **kwargs: object) -> None:
        rasas_filters(*args, **kwargs)
        ignore_library_deprecations()

    rasa_common._filter_warnings = filter_then_ignore_deprecations


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m bot.runtime.launch MODULE [ARGS...]")
    module, *args = sys.argv[1:]
    apply_offline_environment()
    if module in _SANIC_USERS:
        import sanic  # noqa: F401  (its filter goes in now, so ours goes in front of it)
    ignore_library_deprecations()
    if module == "rasa":
        _after_rasas_own_filters()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
