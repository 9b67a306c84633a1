"""Command line: ``python -m bot chat|serve|train|run|forget|purge|report`` (make chat, make serve).

``chat`` and ``serve`` start the processes together on one machine; ``run`` starts one of
them alone, as a container does (see the Dockerfile).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from bot.runtime import privacy
from bot.runtime.environment import apply_offline_environment
from bot.runtime.launch import ignore_library_deprecations
from bot.runtime.processes import Supervisor, install_signal_handlers
from bot.runtime.settings import Settings, get_settings
from bot.runtime.stack import (
    ACTION_SERVER,
    MODEL_DIR,
    action_server_command,
    child_environment,
    front_door_command,
    latest_model,
    rasa_server_command,
    rasa_shell_command,
    staff_service_command,
    start_stack,
)
from bot.web.sessions import conversation_id

ONE_PROCESS = ("rasa", "actions", "front-door", "staff")
# Processes that hold Rasa's API token: run alone, each must be given the same one.
HOLD_THE_RASA_TOKEN = ("rasa", "front-door")
MODEL_NAME = "assistant"  # models/assistant.tar.gz, what the Makefile checks for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("chat", help="talk to the assistant in the terminal (rasa shell)")
    commands.add_parser("serve", help="action server, Rasa and the web front door")
    commands.add_parser("train", help="train the model, one line per step (make train)")
    run_cmd = commands.add_parser("run", help="one process alone, in the foreground")
    run_cmd.add_argument("process", choices=ONE_PROCESS)
    forget_cmd = commands.add_parser("forget", help="delete one visitor's stored conversation")
    forget_cmd.add_argument(
        "session_id", help="the widget's session id, a conversation id, or whatsapp:+NUMBER"
    )
    purge_cmd = commands.add_parser("purge", help="delete conversations past retention")
    purge_cmd.add_argument("--days", type=float, default=None)
    report_cmd = commands.add_parser("report", help="what visitors asked, and what went unanswered")
    report_cmd.add_argument("--days", type=float, default=None, help="default: the retention")
    report_cmd.add_argument("--json", action="store_true", help="as JSON, for other tools")
    args = parser.parse_args(argv)
    # forget, purge and report load Rasa and the embedding model in this process.
    apply_offline_environment()
    ignore_library_deprecations()

    # The staff commands print their result alone; the servers log what they do.
    staff_command = args.command in ("forget", "purge", "report")
    logging.basicConfig(
        level=logging.WARNING if staff_command else logging.INFO, format="%(message)s"
    )
    settings = get_settings()
    if args.command == "forget":
        conversation = conversation_id(args.session_id)
        deleted = privacy.forget(conversation, settings)
        print(f"Deleted {deleted} stored events of conversation {conversation!r}.")
        return 0
    if args.command == "purge":
        days = settings.conversation_retention_days if args.days is None else args.days
        deleted = privacy.purge(days, settings)
        print(f"Deleted {deleted} stored events of conversations idle for over {days:g} days.")
        return 0
    if args.command == "train":
        from bot.runtime.training import train

        return train(MODEL_DIR, MODEL_NAME)
    if args.command == "report":
        return _report(settings, args.days, args.json)
    if (
        args.command == "run"
        and args.process in HOLD_THE_RASA_TOKEN
        and not settings.rasa_api_token
    ):
        print(
            "Set RASA_API_TOKEN (the same secret for Rasa and the front door): without it "
            "Rasa's HTTP API would be open to anyone who reaches it.",
            file=sys.stderr,
        )
        return 2
    if args.command == "run" and args.process != "rasa":
        return _run_alone(settings, args.process, None)
    model = latest_model()
    if model is None:
        print("No trained model in models/: run `make train` first.", file=sys.stderr)
        return 2
    if args.command == "run":
        return _run_alone(settings, args.process, model)

    install_signal_handlers()
    supervisor = Supervisor()
    try:
        if args.command == "chat":
            return _chat(supervisor, settings, model)
        stack = start_stack(supervisor, settings, model)
        staff = (
            f"  Staff report: http://{settings.host}:{settings.staff_port}/staff (STAFF_TOKEN)\n"
            if settings.staff_token
            else ""
        )
        print(
            f"\nAssistant ready. Open the demo page: http://{settings.host}:{settings.web_port}/\n"
            f"  Rasa REST webhook (private): {stack.settings.rasa_urls[0]}/webhooks/rest/webhook\n"
            f"{staff}"
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


def _run_alone(settings: Settings, process: str, model: Path | None) -> NoReturn:
    """Replace this process with one of the assistant's, with the launcher's environment."""
    command = {
        "rasa": lambda: rasa_server_command(settings, model),
        "actions": lambda: action_server_command(settings),
        "front-door": lambda: front_door_command(settings),
        "staff": lambda: staff_service_command(settings),
    }[process]()
    os.execve(command[0], command, child_environment(settings))


def _chat(supervisor: Supervisor, settings: Settings, model: Path) -> int:
    # Quiet servers: their logs would interleave with the conversation in the terminal.
    env = child_environment(settings)
    supervisor.start(ACTION_SERVER, action_server_command(settings, quiet=True), env)
    supervisor.wait_until_healthy(ACTION_SERVER, f"{settings.action_server_url}/health")
    return supervisor.start("rasa shell", rasa_shell_command(settings, model), env).wait()


def _apply_retention(settings: Settings) -> None:
    """Hourly while serving: conversations idle past the retention period are deleted."""
    try:
        purged = privacy.purge(settings.conversation_retention_days, settings)
    except Exception as exc:  # a purge failure must not take the assistant down
        print(f"Retention purge failed: {exc}", file=sys.stderr, flush=True)
        return
    if purged:
        print(f"Retention: deleted {purged} events of expired conversations.", flush=True)


def _report(settings: Settings, days: float | None, as_json: bool) -> int:
    import json

    from bot.staff.report import clinic_report, render_text

    report, titles = clinic_report(settings, days)
    if as_json:
        print(json.dumps({**report.as_dict(), "passage_titles": titles}, indent=2))
    else:
        print(render_text(report, titles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
