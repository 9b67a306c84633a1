"""Staff starting the assistant see Rasa's own output, not other libraries' warnings."""

from __future__ import annotations

import os
import subprocess

from bot.runtime.settings import PROJECT_ROOT
from bot.runtime.stack import rasa_command


def test_rasa_started_by_the_launcher_prints_no_library_deprecation_warnings():
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(PROJECT_ROOT)}
    run = subprocess.run(
        rasa_command("--version"),
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=True,
    )
    assert "Rasa Version" in run.stdout
    assert "Warning" not in run.stdout + run.stderr
