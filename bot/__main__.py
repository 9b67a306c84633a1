"""Command line: ``python -m bot chat|serve``; the Makefile's chat and serve targets."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.processes import (
    Supervisor,
    action_server_command,
    front_door_command,
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

    logging.basicConfig(level=logging.INFO, format="%(message)s")
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
        supervisor.start("front door", front_door_command(settings))
        supervisor.wait_until_healthy("rasa server", f"{settings.rasa_url.rstrip('/')}/status")
        web = f"http://{settings.host}:{settings.web_port}"
        supervisor.wait_until_healthy("front door", f"{web}/healthz")
        print(
            f"\nAssistant ready. Open the demo page: {web}/\n"
            f"  Rasa REST webhook: {settings.rasa_url}/webhooks/rest/webhook\n"
            "  Ctrl-C stops everything.",
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
