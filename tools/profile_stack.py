"""Where a message's time goes, in every process: ``make profile``.

Starts the whole stack as ``make bench`` does, warms it up, then sends messages from 10
streams at once (``make bench``'s saturation run) while py-spy samples each process (the front door, each
Rasa process, the action server). For each process it prints how busy it was (share of
the wall-clock time it was running Python on a core) and the functions that held the most
samples, inclusive of what they call, so that the breakdown in docs/evaluation.md can be
reproduced and redone after a change on the hot path.

py-spy reads the processes from outside (ptrace): nothing in the product is instrumented.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.runtime.settings import PROJECT_ROOT
from bot.runtime.stack import running_stack
from tools.loadtest import SECONDS_PER_RUN, Phrases, _load, load_settings
from tools.widget_client import WidgetSessions

SAMPLES_PER_SECOND = 100
STREAMS = 10
TOP = 16
# A function on the stack of more than this share of samples is the trunk, not a branch.
TRUNK = 0.85
# Frames that say little about where time goes (the event loop, the interpreter's own).
_PLUMBING = re.compile(
    r"^(?:<module>|_run_module_as_main|_run_code|run_module|run|main|run_forever|"
    r"_run_once|_run|serve|run_until_complete|__call__|wrapper|inner|handle|_bootstrap|"
    r"_bootstrap_inner|worker|start|wait|select)$"
)
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:]*)(?::\d+)?\)$")


def _frame_name(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip(), ""
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", str(PROJECT_ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return match["function"], path


@dataclass
class Profile:
    total: int  # samples
    inclusive: Counter[str]  # samples in which the function was on the stack
    own: Counter[str]  # samples in which it was the innermost frame


def summarise(raw: Path) -> Profile:
    profile = Profile(0, Counter(), Counter())
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        profile.total += count
        names = []
        for frame in stack.split(";"):
            function, path = _frame_name(frame)
            if not _PLUMBING.match(function):
                names.append(f"{function} ({path})")
        for name in set(names):
            profile.inclusive[name] += count
        if names:
            profile.own[names[-1]] += count
    return profile


def _spy(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid)]
    command += ["--rate", str(SAMPLES_PER_SECOND), "--duration", str(int(seconds))]
    command += ["--format", "raw", "--output", str(output), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    seconds = SECONDS_PER_RUN
    settings = load_settings("profile")
    phrases = Phrases.load()
    out = Path(tempfile.mkdtemp(prefix="profile-"))
    with running_stack(settings, quiet=True) as stack:
        warm_up = WidgetSessions(stack.web_url)
        warm_up.chat("warm-up", "hi", timeout=120)
        warm_up.chat("warm-up", "hip pain", timeout=120)
        children = {child.name: child.process.pid for child in stack.supervisor.children}
        spies = {name: _spy(pid, seconds, out / f"{name}.txt") for name, pid in children.items()}
        time.sleep(1)
        run = asyncio.run(_load(stack.web_url, STREAMS, phrases, None))
        for spy in spies.values():
            spy.wait(timeout=seconds + 60)
    messages = len(run.latencies)
    print(f"{messages} messages in {run.seconds:.0f} s from {STREAMS} streams "
          f"({messages / run.seconds:.1f} msg/s); py-spy at {SAMPLES_PER_SECOND} samples/s")  # fmt: skip
    for name in children:
        raw = out / f"{name}.txt"
        if not raw.exists():
            print(f"\n{name}: no samples (py-spy could not attach)")
            continue
        profile = summarise(raw)
        total = max(profile.total, 1)
        busy = profile.total / (SAMPLES_PER_SECOND * seconds)
        per_message = 1000 * profile.total / SAMPLES_PER_SECOND / max(messages, 1)
        print(f"\n{name}: busy {busy:.0%} of the time, {per_message:.1f} ms of CPU per message")
        # The trunk every request passes through (the server, the framework) says nothing.
        branches = [(f, n) for f, n in profile.inclusive.most_common() if n / total < TRUNK]
        print("  inclusive (the function and what it calls):")
        for function, samples in branches[:TOP]:
            print(f"  {samples / total:6.1%}  {function}")
        print("  own time (the innermost frame):")
        for function, samples in profile.own.most_common(TOP // 2):
            print(f"  {samples / total:6.1%}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
