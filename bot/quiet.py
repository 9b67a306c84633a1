"""Run Rasa's or rasa_sdk's command line without other libraries' deprecation warnings.

The launcher sets ``PYTHONWARNINGS=ignore``, but two filters put in front of it brought a
screenful of warnings from TensorFlow, SQLAlchemy, pyparsing and others back to the staff's
``rasa shell``: Sanic's ``once`` for every ``DeprecationWarning`` (on import), and Rasa's
``once`` for every ``UserWarning`` (when its CLI starts; pyparsing's deprecation warnings
are also ``UserWarning``). This restores the launcher's intent, after both. Rasa's own
warnings about the assistant's data still show.

Usage: ``python -m bot.quiet rasa shell ...`` or ``python -m bot.quiet rasa_sdk ...``.
"""

from __future__ import annotations

import runpy
import sys
import warnings


def ignore_library_deprecations() -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)


def _after_rasas_own_filters() -> None:
    import rasa.utils.common as rasa_common

    rasas_filters = rasa_common._filter_warnings

    def filter_then_ignore_deprecations(*args: object, **kwargs: object) -> None:
        rasas_filters(*args, **kwargs)
        ignore_library_deprecations()

    rasa_common._filter_warnings = filter_then_ignore_deprecations


def main() -> None:
    module, *args = sys.argv[1:]
    import sanic  # noqa: F401  (its filter goes in now, so ours goes in front of it)

    ignore_library_deprecations()
    if module == "rasa":
        _after_rasas_own_filters()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
