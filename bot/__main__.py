"""Command line: ``python -m bot chat|serve``; the Makefile's chat and serve targets."""

from __future__ import annotations

import argparse
import sys

from bot.processes import (
    Supervisor,
    action_server_command,
    install_signal_handlers,
    latest_model,
    quiet_environment,
    rasa_command,
    rasa_server_command,
)
from bot.settings import PROJECT_ROOT, get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("command", choices=["chat", "serve"])
    args = parser.parse_args(argv)

    settings = get_settings()
    model = latest_model()
    if model is None:
        print("No trained model in models/: run `make train` first.", file=sys.stderr)
        return 2

    install_signal_handlers()
    supervisor = Supervisor(env=quiet_environment(settings))
    try:
        supervisor.start("action server", action_server_command(settings))
        supervisor.wait_until_healthy(
            "action server", f"{settings.action_server_url.rstrip('/')}/health"
        )
        if args.command == "chat":
            shell = rasa_command(
                "shell",
                "--model", str(model),
                "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
                "--port", str(settings.rasa_port),
            )  # fmt: skip
            return supervisor.start("rasa shell", shell).wait()
        supervisor.start("rasa server", rasa_server_command(settings, model))
        supervisor.wait_until_healthy("rasa server", f"{settings.rasa_url.rstrip('/')}/status")
        print(
            f"Assistant ready: REST webhook {settings.rasa_url}/webhooks/rest/webhook "
            "(Ctrl-C stops everything)",
            flush=True,
        )
        return supervisor.watch()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"Could not start the assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
