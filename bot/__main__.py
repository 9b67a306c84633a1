"""Command line: ``python -m bot chat|serve|forget|purge`` (make chat, make serve)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot import privacy
from bot.processes import (
    Supervisor,
    action_server_command,
    install_signal_handlers,
    latest_model,
    quiet_environment,
    rasa_command,
    start_stack,
)
from bot.settings import Settings, get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("chat", help="talk to the assistant in the terminal (rasa shell)")
    commands.add_parser("serve", help="action server, Rasa and the web front door")
    forget_cmd = commands.add_parser("forget", help="delete one visitor's stored conversation")
    forget_cmd.add_argument("session_id")
    purge_cmd = commands.add_parser("purge", help="delete conversations past retention")
    purge_cmd.add_argument("--days", type=float, default=None)
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = get_settings()
    if args.command == "forget":
        deleted = privacy.forget(args.session_id, privacy.tracker_store_url(settings))
        print(f"Deleted {deleted} stored events of conversation {args.session_id!r}.")
        return 0
    if args.command == "purge":
        days = settings.conversation_retention_days if args.days is None else args.days
        deleted = privacy.purge(days, privacy.tracker_store_url(settings))
        print(f"Deleted {deleted} stored events of conversations idle for over {days:g} days.")
        return 0
    model = latest_model()
    if model is None:
        print("No trained model in models/: run `make train` first.", file=sys.stderr)
        return 2

    install_signal_handlers()
    supervisor = Supervisor(env=quiet_environment(settings))
    try:
        if args.command == "chat":
            return _chat(supervisor, settings, model)
        start_stack(supervisor, settings, model)
        web = f"http://{settings.host}:{settings.web_port}"
        print(
            f"\nAssistant ready. Open the demo page: {web}/\n"
            f"  Rasa REST webhook: {settings.rasa_url}/webhooks/rest/webhook\n"
            "  Ctrl-C stops everything.",
            flush=True,
        )
        return supervisor.watch(chore=lambda: _apply_retention(settings))
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"Could not start the assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()


def _chat(supervisor: Supervisor, settings: Settings, model: Path) -> int:
    # Quiet servers: their logs would interleave with the conversation in the terminal.
    supervisor.start("action server", action_server_command(settings, quiet=True))
    supervisor.wait_until_healthy("action server", f"{settings.action_server_url}/health")
    shell = rasa_command(
        "shell",
        "--model", str(model),
        "--endpoints", str(settings.endpoints_file),
        "--port", str(settings.rasa_port),
        "--quiet",
    )  # fmt: skip
    return supervisor.start("rasa shell", shell).wait()


def _apply_retention(settings: Settings) -> None:
    """Hourly while serving: conversations idle past the retention period are deleted."""
    try:
        purged = privacy.purge(
            settings.conversation_retention_days, privacy.tracker_store_url(settings)
        )
    except Exception as exc:  # a purge failure must not take the assistant down
        print(f"Retention purge failed: {exc}", file=sys.stderr, flush=True)
        return
    if purged:
        print(f"Retention: deleted {purged} events of expired conversations.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
