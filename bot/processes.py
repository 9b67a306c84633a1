"""Start the assistant's processes together and stop them together.

``make chat`` and ``make serve`` run several programs (the action server, Rasa, the web
front door). One Ctrl-C or SIGTERM must stop all of them, and if one dies the others
must not carry on half-working, so they are started and watched from one place.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.channels import credentials_for
from bot.settings import PROJECT_ROOT, Settings

MODEL_DIR = PROJECT_ROOT / "models"


def quiet_environment(settings: Settings) -> dict[str, str]:
    """Environment for every child: offline models, no telemetry, no library log spam."""
    settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # torch's thread pool (the embedding model) is sized to the whole machine, and its
    # idle workers spin: under load the action server burnt 35 ms of CPU per message
    # instead of 6 (`make bench`). An operator's own value wins.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "TF_ENABLE_ONEDNN_OPTS": "0",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONWARNINGS": "ignore",
            "SANIC_HOST": settings.host,
            "ACTION_ENDPOINT_URL": f"{settings.action_server_url.rstrip('/')}/webhook",
            "TRACKER_DB": str(settings.tracker_db),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
            ),
        }
    )
    return env


def rasa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.quiet", "rasa", *args]


def latest_model() -> Path | None:
    models = sorted(MODEL_DIR.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def action_server_command(settings: Settings, quiet: bool = False) -> list[str]:
    # rasa_sdk's own server, not `rasa run actions`: the latter imports all of Rasa and
    # TensorFlow first, ~440 MB the action server never uses.
    command = [
        sys.executable, "-m", "bot.quiet", "rasa_sdk", "--actions", "actions",
        "--port", str(settings.action_port),
    ]  # fmt: skip
    return [*command, "--quiet"] if quiet else command


def runtime_credentials(settings: Settings) -> Path:
    """credentials.yml plus the channels whose secrets are set, for this run only."""
    base = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    path = PROJECT_ROOT / "build" / f"credentials-{settings.rasa_port}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(credentials_for(base, settings)), encoding="utf-8")
    path.chmod(0o600)  # it holds channel secrets
    return path


def rasa_server_command(settings: Settings, model: Path, extra: Sequence[str] = ()) -> list[str]:
    return rasa_command(
        "run",
        "--model", str(model),
        "--interface", settings.host,
        "--port", str(settings.rasa_port),
        "--credentials", str(runtime_credentials(settings)),
        "--endpoints", str(settings.endpoints_file),
        "--enable-api",
        "--cors", "*",
        *extra,
    )  # fmt: skip


def front_door_command(settings: Settings) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "bot.web.app:app",
        "--host", settings.host, "--port", str(settings.web_port),
        "--no-access-log", "--timeout-graceful-shutdown", "5",
        # No websockets here (the widget polls); uvicorn's websocket module needs a newer
        # websockets than Rasa 3.6 allows.
        "--ws", "none",
    ]  # fmt: skip


@dataclass
class Supervisor:
    """Children started in order, stopped in reverse, all of them on any exit."""

    env: dict[str, str]
    children: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env or self.env)
        self.children.append((name, process))
        return process

    def stop_one(self, name: str) -> None:
        for child_name, process in self.children:
            if child_name == name and process.poll() is None:
                process.terminate()
                process.wait(timeout=15)

    def restart(self, name: str, command: list[str]) -> None:
        """Stop one child and start it again under the same name."""
        self.stop_one(name)
        self.children = [(n, p) for n, p in self.children if n != name]
        self.start(name, command)

    def wait_until_healthy(self, name: str, url: str, timeout: float = 180.0) -> None:
        process = dict(self.children)[name]
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
            time.sleep(0.5)
        raise RuntimeError(f"{name} did not become healthy at {url} within {timeout:.0f} s")

    def watch(self, chore: Callable[[], None] | None = None, every: float = 3600.0) -> int:
        """Block until any child exits (returning its exit code), doing ``chore`` meanwhile."""
        next_chore = time.monotonic()
        while True:
            for name, process in self.children:
                code = process.poll()
                if code is not None:
                    print(f"{name} stopped (exit code {code}); stopping the rest.", flush=True)
                    return code
            if chore and time.monotonic() >= next_chore:
                next_chore = time.monotonic() + every
                chore()
            time.sleep(0.5)

    def stop(self) -> None:
        for _, process in reversed(self.children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in reversed(self.children):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def free_port() -> int:
    """A free loopback port, for tests and benchmarks that run beside a live assistant."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_stack(
    supervisor: Supervisor,
    settings: Settings,
    model: Path,
    rasa_ports: Sequence[int] | None = None,
    quiet: bool = False,
) -> None:
    """Action server, one Rasa per port (default: settings.rasa_ports) and the front door,
    started together and waited for until each answers its health check."""
    supervisor.start("action server", action_server_command(settings, quiet=quiet))
    ports = list(rasa_ports or settings.rasa_ports)
    for n, port in enumerate(ports):
        one = settings.copy(update={"rasa_port": port})
        extra = ["--quiet"] if quiet else []
        supervisor.start(rasa_process_name(n), rasa_server_command(one, model, extra))
    # The front door relays to, and checks, exactly the servers started here.
    rasa_url = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    started = {"RASA_URL": rasa_url, "ACTION_SERVER_URL": settings.action_server_url}
    supervisor.start("front door", front_door_command(settings), env={**supervisor.env, **started})
    supervisor.wait_until_healthy("action server", f"{settings.action_server_url}/health")
    for n, port in enumerate(ports):
        supervisor.wait_until_healthy(rasa_process_name(n), f"http://127.0.0.1:{port}/status")
    web = f"http://127.0.0.1:{settings.web_port}"
    supervisor.wait_until_healthy("front door", f"{web}/healthz")


def rasa_process_name(number: int) -> str:
    return "rasa server" if number == 0 else f"rasa server {number + 1}"


def install_signal_handlers() -> None:
    """SIGTERM behaves like Ctrl-C, so both unwind through the same cleanup."""

    def _raise_interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise_interrupt)
