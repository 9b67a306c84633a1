"""One place for every setting, read from the environment (and an optional `.env` file).

Rasa, the action server and the web front door all import this module, so a value such as
the booking link is configured once and cannot drift between processes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field, validator

from knowledge import ARTICLES_DIR, DEFAULT_INDEX_DIR

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Environment variables, upper-cased field names (e.g. ``BOOKING_URL``)."""

    clinic_name: str = "Hip & Back Clinic"
    booking_url: str = "https://example-clinic.com/book"
    booking_offer: str = Field(
        "Book an appointment",
        description="The booking button's words: the clinic's own offer, such as "
        "'Book a free 20-minute consultation'.",
    )
    clinic_phone: str = ""
    clinic_email: str = ""

    knowledge_dir: Path = ARTICLES_DIR
    knowledge_index_dir: Path = DEFAULT_INDEX_DIR
    knowledge_min_score: float = Field(
        0.0, description="Relevance bar override; 0 means use the calibrated default."
    )
    knowledge_refresh_seconds: float = 5.0

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    staff_port: int = Field(
        8001, description="The staff service (report, passage search): private, like Rasa."
    )
    rasa_processes: int = Field(
        2,
        ge=1,
        description="Rasa servers `make serve` starts, on RASA_PORT and the ports after it.",
    )
    rasa_url: str = Field(
        "http://127.0.0.1:5005", description="One Rasa, or several separated by commas."
    )
    action_server_url: str = "http://127.0.0.1:5055"

    # Rasa's HTTP API is closed without this token (Rasa's own --auth-token). Only the front
    # door and staff tools hold it; `python -m bot serve` makes one per run when it is empty.
    rasa_api_token: str = ""

    # Conversations (Rasa's SQL tracker store) and how long they are kept
    tracker_db: Path = PROJECT_ROOT / "var" / "conversations.db"
    endpoints_file: Path = PROJECT_ROOT / "endpoints.yml"
    conversation_retention_days: int = 30

    # Web front door
    allowed_origins: str = Field(
        "", description="Comma-separated origins whose pages may embed the widget."
    )
    max_message_chars: int = 1000
    max_request_bytes: int = Field(
        64 * 1024, description="Bodies over this are refused before they are read (413)."
    )
    session_secret: str = Field(
        "",
        description="Signs the widget's session ids; empty: one kept in var/session.key. "
        "Every front door process of a deployment needs the same.",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of the HTTPS proxies in front of the "
        "front door, whose X-Forwarded-For is believed; empty: none is.",
    )
    session_messages_per_minute: int = 20
    ip_messages_per_minute: int = 60
    rasa_timeout_seconds: float = 30.0
    staff_token: str = Field("", description="Turns on the staff service (STAFF_PORT).")

    # Channels: each is on only when its secrets are set
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_channel: str = ""
    slack_api_url: str = "https://slack.com/api/"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_number: str = ""
    twilio_webhook_url: str = Field(
        "", description="Public URL Twilio posts to; its signature is computed over it."
    )
    twilio_api_url: str = ""

    @validator("allowed_origins")
    def _no_wildcard_origin(cls, origins: str) -> str:
        """A wildcard would let any web page talk to the assistant as its visitors."""
        if "*" in origins:
            raise ValueError("ALLOWED_ORIGINS lists sites one by one; '*' is not allowed")
        return origins

    @validator("knowledge_dir", "knowledge_index_dir", "tracker_db", "endpoints_file")
    def _relative_to_project(cls, path: Path) -> Path:
        """Relative paths in .env mean "in the project folder", wherever it is run from."""
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def rasa_ports(self) -> list[int]:
        """The ports of the Rasa servers the launcher starts."""
        return [self.rasa_port + n for n in range(self.rasa_processes)]

    @property
    def rasa_urls(self) -> list[str]:
        """RASA_URL may list several Rasa processes (comma-separated) to spread requests over."""
        return [u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip()]

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.allowed_origins.split(",") if o.strip()]

    class Config:
        env_file = PROJECT_ROOT / ".env"
        env_file_encoding = "utf-8"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings are read once per process; tests clear the cache to change them."""
    return Settings()
