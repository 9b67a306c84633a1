"""The assistant's processes and how they start: the action server, one or more Rasa
servers, the web front door and (with STAFF_TOKEN) the staff service, as one stack.

Only the front door is meant to be reached from outside. Rasa's HTTP API answers only
with RASA_API_TOKEN (made for the run when none is set) and sends no CORS headers.

``make serve``, the tests, the load test (``make bench``) and the scale test all start the
stack through ``running_stack``; ``make chat`` uses the same commands.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.channels.credentials import credentials_for
from bot.runtime.environment import apply_offline_environment
from bot.runtime.processes import Supervisor
from bot.runtime.settings import PROJECT_ROOT, Settings

MODEL_DIR = PROJECT_ROOT / "models"
LAUNCH = (sys.executable, "-m", "bot.runtime.launch")
# torch's thread pool is sized to the whole machine and its idle workers spin: under load
# the action server burnt 35 ms of CPU per message instead of 6 (`make bench`). A default
# for the servers only (training and evaluation use every core); an operator's value wins.
SERVER_TORCH_THREADS = "1"
FRONT_DOOR = "front door"
ACTION_SERVER = "action server"
STAFF_SERVICE = "staff service"
TOKEN_BYTES = 32


def child_environment(settings: Settings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every child's environment: the offline one, and these settings, so each process
    reads exactly the settings of the process that started it."""
    settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    apply_offline_environment(env)
    env.setdefault("OMP_NUM_THREADS", SERVER_TORCH_THREADS)
    env.update({name.upper(): str(value) for name, value in settings.dict().items()})
    env.update(
        {
            "SANIC_HOST": settings.host,
            # Filled into endpoints.yml by Rasa.
            "ACTION_ENDPOINT_URL": f"{settings.action_server_url.rstrip('/')}/webhook",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
            ),
        }
    )
    env.update(extra or {})
    return env


def rasa_command(*args: str) -> list[str]:
    return [*LAUNCH, "rasa", *args]


def latest_model() -> Path | None:
    models = sorted(MODEL_DIR.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def action_server_command(settings: Settings, quiet: bool = False) -> list[str]:
    # rasa_sdk's own server, not `rasa run actions`: the latter imports all of Rasa and
    # TensorFlow first, ~440 MB the action server never uses.
    command = [*LAUNCH, "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)]
    return [*command, "--quiet"] if quiet else command


def runtime_credentials(settings: Settings) -> Path:
    """credentials.yml plus the channels whose secrets are set, for this run only."""
    base = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    path = PROJECT_ROOT / "build" / f"credentials-{settings.rasa_port}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(credentials_for(base, settings)), encoding="utf-8")
    path.chmod(0o600)  # it holds channel secrets
    return path


def rasa_status_url(settings: Settings, base_url: str) -> str:
    """Rasa's readiness (model loaded), which its token guards like the rest of its API."""
    return f"{base_url}/status?token={settings.rasa_api_token}"


def rasa_server_command(settings: Settings, model: Path, quiet: bool = False) -> list[str]:
    """Rasa with its channels, and its HTTP API only for holders of the token (no CORS:
    no browser is meant to call it)."""
    if not settings.rasa_api_token:
        raise RuntimeError("RASA_API_TOKEN is not set: Rasa's HTTP API would be open to anyone")
    return rasa_command(
        "run",
        "--model", str(model),
        "--interface", settings.host,
        "--port", str(settings.rasa_port),
        "--credentials", str(runtime_credentials(settings)),
        "--endpoints", str(settings.endpoints_file),
        "--enable-api",
        # One argument with "=": a token may begin with "-", which argparse would read as
        # an option of its own.
        f"--auth-token={settings.rasa_api_token}",
        *(["--quiet"] if quiet else []),
    )  # fmt: skip


def rasa_shell_command(settings: Settings, model: Path) -> list[str]:
    return rasa_command(
        "shell",
        "--model", str(model),
        "--endpoints", str(settings.endpoints_file),
        "--port", str(settings.rasa_port),
        "--quiet",
    )  # fmt: skip


def _forwarded_for(settings: Settings) -> list[str]:
    """uvicorn believes X-Forwarded-For only from the configured proxies (and from none
    when TRUSTED_PROXIES is empty), so a visitor cannot pick the address it is limited by."""
    proxies = ",".join(p.strip() for p in settings.trusted_proxies.split(",") if p.strip())
    if not proxies:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", proxies]


def front_door_command(settings: Settings) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "bot.web.app:app",
        "--host", settings.host, "--port", str(settings.web_port),
        "--no-access-log", "--timeout-graceful-shutdown", "5",
        # No websockets here (the widget polls); uvicorn's websocket module needs a newer
        # websockets than Rasa 3.6 allows.
        "--ws", "none",
        *_forwarded_for(settings),
    ]  # fmt: skip


def staff_service_command(settings: Settings) -> list[str]:
    """The report and passage search, on their own private port (never the front door's)."""
    return [
        sys.executable, "-m", "uvicorn", "bot.web.staff_app:app",
        "--host", settings.host, "--port", str(settings.staff_port),
        "--no-access-log", "--timeout-graceful-shutdown", "5", "--ws", "none",
    ]  # fmt: skip


def with_run_secrets(settings: Settings) -> Settings:
    """Settings for one run of the whole stack on this machine: a Rasa API token made for
    the run when none is configured, and Twilio's signature checked against the front
    door's own address when no public URL is configured (both sides check the same)."""
    update: dict[str, str] = {}
    if not settings.rasa_api_token:
        update["rasa_api_token"] = secrets.token_urlsafe(TOKEN_BYTES)
    if not settings.twilio_webhook_url:
        update["twilio_webhook_url"] = (
            f"http://127.0.0.1:{settings.web_port}/webhooks/twilio/webhook"
        )
    return settings.copy(update=update)


def rasa_process_name(number: int) -> str:
    return "rasa server" if number == 0 else f"rasa server {number + 1}"


@dataclass
class Stack:
    """A running stack: its settings (the front door's, listing every Rasa server)."""

    settings: Settings
    supervisor: Supervisor
    env: dict[str, str]

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    @property
    def staff_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.staff_port}"

    def stop_rasa(self, number: int = 0) -> None:
        self.supervisor.stop_one(rasa_process_name(number))

    def restart_rasa(self, number: int = 0) -> None:
        name = rasa_process_name(number)
        self.supervisor.restart(name)
        url = rasa_status_url(self.settings, self.settings.rasa_urls[number])
        self.supervisor.wait_until_healthy(name, url)

    def stop_action_server(self) -> None:
        self.supervisor.stop_one(ACTION_SERVER)

    def restart_action_server(self) -> None:
        self.supervisor.restart(ACTION_SERVER)
        url = f"{self.settings.action_server_url}/health"
        self.supervisor.wait_until_healthy(ACTION_SERVER, url)


def start_stack(
    supervisor: Supervisor,
    settings: Settings,
    model: Path,
    rasa_ports: Sequence[int] | None = None,
    quiet: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> Stack:
    """Action server, one Rasa per port (default: settings.rasa_ports), the front door and
    the staff service (with STAFF_TOKEN), started together and waited for until each
    answers its health check."""
    ports = list(rasa_ports or settings.rasa_ports)
    # The front door relays to, and checks, exactly the servers started here.
    settings = with_run_secrets(settings).copy(
        update={"rasa_url": ",".join(f"http://127.0.0.1:{port}" for port in ports)}
    )
    env = child_environment(settings, extra_env)
    supervisor.start(ACTION_SERVER, action_server_command(settings, quiet=quiet), env)
    for number, port in enumerate(ports):
        one = settings.copy(update={"rasa_port": port})
        supervisor.start(rasa_process_name(number), rasa_server_command(one, model, quiet), env)
    supervisor.start(FRONT_DOOR, front_door_command(settings), env)
    if settings.staff_token:
        supervisor.start(STAFF_SERVICE, staff_service_command(settings), env)
    supervisor.wait_until_healthy(ACTION_SERVER, f"{settings.action_server_url}/health")
    for number, url in enumerate(settings.rasa_urls):
        supervisor.wait_until_healthy(rasa_process_name(number), rasa_status_url(settings, url))
    supervisor.wait_until_healthy(FRONT_DOOR, f"http://127.0.0.1:{settings.web_port}/healthz")
    if settings.staff_token:
        url = f"http://127.0.0.1:{settings.staff_port}/healthz"
        supervisor.wait_until_healthy(STAFF_SERVICE, url)
    return Stack(settings, supervisor, env)


@contextmanager
def running_stack(
    settings: Settings,
    rasa_ports: Sequence[int] | None = None,
    quiet: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """The whole stack for the length of a ``with`` block (tests, load and scale tests)."""
    model = latest_model()
    if model is None:
        raise RuntimeError("no trained model in models/: run `make train` first")
    supervisor = Supervisor()
    try:
        yield start_stack(supervisor, settings, model, rasa_ports, quiet, extra_env)
    finally:
        supervisor.stop()
