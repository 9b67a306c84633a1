"""Start several programs together, watch them, and stop them together.

``make chat`` and ``make serve`` run several programs (the action server, Rasa, the web
front door). One Ctrl-C or SIGTERM must stop all of them, and if one dies the others must
not carry on half-working, so they are started and watched from one place.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.runtime.settings import PROJECT_ROOT

STOP_GRACE_SECONDS = 15.0
HEALTH_POLL_SECONDS = 0.5
WATCH_POLL_SECONDS = 0.5


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen


@dataclass
class Supervisor:
    """Children started in order, stopped in reverse, all of them on any exit."""

    children: list[Child] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
        self.children.append(Child(name, command, env, process))
        return process

    def child(self, name: str) -> Child:
        return next(c for c in self.children if c.name == name)

    def stop_one(self, name: str) -> None:
        process = self.child(name).process
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=STOP_GRACE_SECONDS)

    def restart(self, name: str) -> None:
        """Stop one child and start it again with its own command and environment."""
        old = self.child(name)
        self.stop_one(name)
        self.children.remove(old)
        self.start(name, old.command, old.env)

    def wait_until_healthy(self, name: str, url: str, timeout: float = 180.0) -> None:
        process = self.child(name).process
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode} while starting")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(HEALTH_POLL_SECONDS)
        where = url.split("?", 1)[0]  # a token in the query is not printed
        raise RuntimeError(f"{name} did not become healthy at {where} within {timeout:.0f} s")

    def watch(self, chore: Callable[[], None] | None = None, every: float = 3600.0) -> int:
        """Block until any child exits (returning its exit code), doing ``chore`` meanwhile."""
        next_chore = time.monotonic()
        while True:
            for child in self.children:
                code = child.process.poll()
                if code is not None:
                    print(
                        f"{child.name} stopped (exit code {code}); stopping the rest.", flush=True
                    )
                    return code
            if chore and time.monotonic() >= next_chore:
                next_chore = time.monotonic() + every
                chore()
            time.sleep(WATCH_POLL_SECONDS)

    def stop(self) -> None:
        for child in reversed(self.children):
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in reversed(self.children):
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()


def free_port() -> int:
    """A free loopback port, for tests and benchmarks that run beside a live assistant."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install_signal_handlers() -> None:
    """SIGTERM behaves like Ctrl-C, so both unwind through the same cleanup."""

    def _raise_interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise_interrupt)
