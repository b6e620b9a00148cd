"""The one place that reads the environment: a frozen `Settings` passed down by hand."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_MUNICIPALITY = "exempelkommun"

ENVIRONMENT = {
    "STYRBOT_DATA_DIR": "data directory (default ./data)",
    "STYRBOT_MUNICIPALITY": f"default municipality (default {DEFAULT_MUNICIPALITY})",
    "STYRBOT_PROFILES_DIR": "a folder with national.yaml and municipalities/*.yaml that replaces the shipped rules",
    "STYRBOT_DATABASE_URL": "SQLAlchemy URL (default SQLite in the data directory)",
    "STYRBOT_CHROMA_URL": "a Chroma server instead of the embedded index",
    "STYRBOT_CHROMA_PREFIX": "the prefix of Styrbot's collection names (default styrbot): installations sharing "
    "one Chroma server give each their own",
    "STYRBOT_EMBEDDINGS": "embedding model: e5 (default, bundled) or sentence-transformers:<name or path>",
    "STYRBOT_DEMO": "1 (default): index the bundled demo corpus on first use when no documents are indexed; 0: never",
    "STYRBOT_DEMO_CORPUS": "the demo corpus's folder, with pdf/, docx/, pptx/ and html/ "
    "(default: corpus/ of a checkout; the image sets /app/corpus)",
    "STYRBOT_ADMIN_TOKEN": "bearer token for the document administration API (unset: administration is off)",
    "STYRBOT_MAX_UPLOAD_MB": "largest upload to POST /api/v1/documents, in MB (default 50)",
    "STYRBOT_ASK_PER_MINUTE": "questions per minute one client may ask over HTTP (default 30; 0: no limit)",
    "STYRBOT_TRUSTED_PROXIES": "the reverse proxies whose X-Forwarded-For names the client: addresses or networks, "
    "comma-separated (default none: the connecting address is the client)",
    "STYRBOT_LLM_BASE_URL": "an OpenAI-compatible endpoint (with STYRBOT_LLM_MODEL): a model writes document answers",
    "STYRBOT_LLM_MODEL": "the model's name at that endpoint",
    "STYRBOT_LLM_API_KEY": "the endpoint's key, if it needs one",
    "STYRBOT_LLM_TIMEOUT": "seconds to wait for the model before the extractive answer is given (default 20)",
    "STYRBOT_LOG_FORMAT": "json (default): one JSON object per log line from serve and slack; text: plain lines",
    "STYRBOT_LOG_QUESTIONS": "1: keep asked questions in the database (the question log); default 0: never",
    "STYRBOT_QUESTION_LOG_DAYS": "days the question log keeps a question (default 30)",
    "STYRBOT_CONVERSATION_DAYS": "days a conversation's turns are kept for follow-up questions (default 7)",
    "STYRBOT_REMINDER_LOG_DAYS": "days after its deadline a reminder stays in the ledger and its log (default 400)",
    "STYRBOT_SHUTDOWN_SECONDS": "on SIGTERM, how long answers under way may take to finish (default 30)",
    "SLACK_BOT_TOKEN": "Slack bot token (HTTP mode)",
    "SLACK_SIGNING_SECRET": "Slack signing secret (HTTP mode)",
    "SLACK_APP_TOKEN": "Slack app-level token (Socket Mode)",
    "SLACK_API_URL": "base URL of Slack's Web API",
    "STYRBOT_SLACK_CHANNELS": "each channel's municipality, as C0123=strangnas,C0456=tranemo (others: the default)",
    "TEAMS_APP_ID": "the Teams bot's Entra app (client) id: with the secret and the tenant, serves POST /api/messages",
    "TEAMS_APP_SECRET": "the Entra app's client secret",
    "TEAMS_TENANT_ID": "the Entra tenant the app is registered in",
    "TEAMS_AUTHORITY": "the token service, when not Entra ID's public cloud (https://login.microsoftonline.com/<tenant>)",
    "STYRBOT_TEAMS_CHANNELS": "each team's or channel's municipality, as 19:abc@thread.tacv2=strangnas (others: the "
    "default)",
}


@dataclass(frozen=True)
class Settings:
    """Styrbot's configuration, read once from the environment."""

    data_dir: Path = Path("data")
    municipality: str = DEFAULT_MUNICIPALITY
    profiles_dir: Path | None = None
    database_url: str | None = None
    chroma_url: str | None = None
    chroma_prefix: str = "styrbot"
    embeddings: str | None = None
    demo: bool = True
    demo_corpus: Path | None = None
    admin_token: str | None = None
    max_upload_mb: float = 50.0
    ask_per_minute: int = 30
    trusted_proxies: tuple[str, ...] = ()
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 20.0
    log_format: str = "json"
    log_questions: bool = False
    question_log_days: int = 30
    conversation_days: int = 7
    reminder_log_days: int = 400
    shutdown_seconds: float = 30.0
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    slack_channels: tuple[tuple[str, str], ...] = ()
    teams_app_id: str | None = None
    teams_app_secret: str | None = None
    teams_tenant_id: str | None = None
    teams_authority: str | None = None
    teams_channels: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables (empty values count as unset)."""
        env = {k: v for k, v in (os.environ if environ is None else environ).items() if v.strip()}
        profiles, corpus = env.get("STYRBOT_PROFILES_DIR"), env.get("STYRBOT_DEMO_CORPUS")
        return cls(
            data_dir=Path(env.get("STYRBOT_DATA_DIR", "data")),
            municipality=env.get("STYRBOT_MUNICIPALITY", DEFAULT_MUNICIPALITY),
            profiles_dir=Path(profiles) if profiles else None,
            database_url=env.get("STYRBOT_DATABASE_URL"),
            chroma_url=env.get("STYRBOT_CHROMA_URL"),
            chroma_prefix=env.get("STYRBOT_CHROMA_PREFIX", "styrbot"),
            embeddings=env.get("STYRBOT_EMBEDDINGS"),
            demo=env.get("STYRBOT_DEMO", "1").lower() not in {"0", "false", "no", "nej"},
            demo_corpus=Path(corpus) if corpus else None,
            admin_token=env.get("STYRBOT_ADMIN_TOKEN"),
            max_upload_mb=_number(env, "STYRBOT_MAX_UPLOAD_MB", 50.0),
            ask_per_minute=_whole(env, "STYRBOT_ASK_PER_MINUTE", 30),
            trusted_proxies=_networks(env, "STYRBOT_TRUSTED_PROXIES"),
            llm_base_url=env.get("STYRBOT_LLM_BASE_URL"),
            llm_model=env.get("STYRBOT_LLM_MODEL"),
            llm_api_key=env.get("STYRBOT_LLM_API_KEY"),
            llm_timeout=_number(env, "STYRBOT_LLM_TIMEOUT", 20.0),
            log_format=_choice(env, "STYRBOT_LOG_FORMAT", ("json", "text")),
            log_questions=env.get("STYRBOT_LOG_QUESTIONS", "0").lower() in {"1", "true", "yes", "ja"},
            question_log_days=_whole(env, "STYRBOT_QUESTION_LOG_DAYS", 30),
            conversation_days=_whole(env, "STYRBOT_CONVERSATION_DAYS", 7),
            reminder_log_days=_whole(env, "STYRBOT_REMINDER_LOG_DAYS", 400),
            shutdown_seconds=_number(env, "STYRBOT_SHUTDOWN_SECONDS", 30.0),
            slack_bot_token=env.get("SLACK_BOT_TOKEN"),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET"),
            slack_app_token=env.get("SLACK_APP_TOKEN"),
            slack_api_url=env.get("SLACK_API_URL"),
            slack_channels=_pairs(env.get("STYRBOT_SLACK_CHANNELS", "")),
            teams_app_id=env.get("TEAMS_APP_ID"),
            teams_app_secret=env.get("TEAMS_APP_SECRET"),
            teams_tenant_id=env.get("TEAMS_TENANT_ID"),
            teams_authority=env.get("TEAMS_AUTHORITY"),
            teams_channels=_pairs(env.get("STYRBOT_TEAMS_CHANNELS", "")),
        )

    @property
    def drafts_dir(self) -> Path:
        """Where profiles drafted on the administrators' page are kept, with the texts they quote: a profiles
        folder in the data directory, read beside the shipped (or STYRBOT_PROFILES_DIR's) profiles."""
        return self.data_dir / "profiles"

    def with_data_dir(self, data_dir: Path | None) -> Settings:
        """A copy with another data directory (the `--data-dir` option)."""
        return self if data_dir is None else replace(self, data_dir=data_dir)


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """ "C1=a, C2=b" → (("C1", "a"), ("C2", "b")); items without "=" are left out."""
    items = (item.partition("=") for item in text.split(","))
    return tuple((key.strip(), value.strip()) for key, sep, value in items if sep and key.strip() and value.strip())


def _networks(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Addresses and networks ("10.0.0.5, 172.18.0.0/16"; "*" for any); ValueError naming the variable."""
    items = tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())
    for item in items:
        if item != "*":
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{name} must list addresses or networks, not {item!r}") from None
    return items


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A non-negative number from the environment; ValueError naming the variable when it is not one."""
    text = env.get(name)
    if text is None:
        return default
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {text!r}")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (the first by default); ValueError naming the variable otherwise."""
    value = env.get(name, choices[0]).strip().lower()
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {env[name]!r}")
    return value


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    """A non-negative whole number from the environment; ValueError naming the variable otherwise."""
    value = _number(env, name, default)
    if value != int(value):
        raise ValueError(f"{name} must be a whole number, not {env[name]!r}")
    return int(value)
