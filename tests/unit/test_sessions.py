"""Widget session ids: only the front door that issued one (its secret) accepts it."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.runtime.settings import Settings
from bot.web.sessions import SessionSigner, conversation_id, session_secret


def test_an_issued_id_names_its_conversation_and_nothing_else_does():
    signer = SessionSigner("secret-one")
    issued = signer.issue()
    conversation = signer.conversation_of(issued)
    assert conversation and conversation == conversation_id(issued)
    assert signer.conversation_of(issued + "x") is None
    assert signer.conversation_of(conversation) is None
    assert signer.conversation_of(f"{conversation}.{'A' * 32}") is None
    assert SessionSigner("secret-two").conversation_of(issued) is None
    assert signer.conversation_of("") is None
    assert signer.issue() != issued


def test_the_secret_is_made_once_readable_by_the_owner_only_and_kept(tmp_path):
    key = tmp_path / "var" / "session.key"
    first = session_secret(Settings(session_secret=""), key)
    assert session_secret(Settings(session_secret=""), key) == first
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert session_secret(Settings(session_secret="configured"), key) == "configured"


def test_rasa_takes_any_token_even_one_that_looks_like_an_option():
    import argparse

    from rasa.cli.arguments.run import add_server_arguments

    from bot.runtime.stack import rasa_server_command

    command = rasa_server_command(Settings(rasa_api_token="-starts-with-a-dash"), Path("m.tar.gz"))
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    parsed, _ = parser.parse_known_args(command[command.index("run") + 1 :])
    assert parsed.auth_token == "-starts-with-a-dash"
