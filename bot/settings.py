"""Configuration of the web app, read from the environment once and passed around.

Every variable, its default and its meaning is listed in README.md ("Configuration").
Secrets have no defaults here: they are created at first run outside the repository.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Tuple

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES: Tuple[str, ...] = ("sv", "en", "ar", "fa", "so", "fi")
RTL_LANGUAGES = frozenset({"ar", "fa"})
SOURCE_LANGUAGE = "sv"


def state_dir() -> Path:
    """Where the database and secrets live: outside the repository by default."""
    default = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "trygg-chatt"
    return Path(os.environ.get("TRYGG_STATE_DIR") or default)


def database_url() -> str:
    return os.environ.get("TRYGG_DATABASE_URL") or f"sqlite:///{state_dir() / 'trygg.db'}"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Rasa workers; each conversation always goes to the same one (bot/rasa_workers.py).
    rasa_urls: Tuple[str, ...] = ("http://127.0.0.1:5005",)
    # How long Rasa keeps an idle conversation (bot/tracker_store.py); the web app remembers a
    # conversation's worker as long.
    tracker_expiry_s: float = 1800.0
    action_server_url: str = "http://127.0.0.1:5055"
    # The site that embeds the widget; CORS allows only this origin (empty = same origin only).
    site_origin: str = ""
    max_message_chars: int = 2000
    max_body_bytes: int = 16_384          # /api/chat
    # Rasa's NLG requests carry the whole tracker; they grow with the conversation.
    max_internal_body_bytes: int = 2_000_000
    # Below the widget's 10 s, so the widget never resends a message Rasa is still answering.
    rasa_timeout_s: float = 9.0
    # Workers listed here (1, 2, ...) get no requests: `make run` drains a worker before it
    # restarts it with a newly trained model (scripts/stack.py).
    rasa_drain_file: Path = Path("/nonexistent/rasa-draining")
    locales_dir: Path = ROOT / "locales"
    domain_file: Path = ROOT / "domain.yml"
    facts_file: Path = ROOT / "bot" / "content" / "facts.yml"
    widget_dir: Path = ROOT / "widget"
    log_level: str = "INFO"
    # Follow-up counters are written in batches this often.
    counter_flush_s: float = 5.0
    # Per-client rate limit on /api/chat and the console login: a burst, then a steady rate.
    rate_burst: int = 20
    rate_per_second: float = 1.0
    # Reverse proxies in front of the web app (ingress, load balancer) that append the client's
    # address to X-Forwarded-For. 0: headers are ignored and the connection's address is used.
    proxies_count: int = 0
    # Console cookies carry the Secure flag; browsers accept it on http://127.0.0.1 and localhost.
    cookie_secure: bool = True
    # Every staff account must set up the code step (bot/totp.py) before using the console.
    console_require_second_step: bool = False

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ.get
        return cls(
            host=env("TRYGG_HOST", cls.host),
            port=int(env("TRYGG_PORT", cls.port)),
            rasa_urls=tuple(url.strip().rstrip("/") for url in (env("TRYGG_RASA_URLS") or ",".join(cls.rasa_urls)).split(",")
                            if url.strip()) or cls.rasa_urls,
            tracker_expiry_s=float(env("TRYGG_TRACKER_EXPIRY_S") or cls.tracker_expiry_s),
            action_server_url=env("TRYGG_ACTION_SERVER_URL", cls.action_server_url).rstrip("/"),
            site_origin=env("TRYGG_SITE_ORIGIN", cls.site_origin),
            max_message_chars=int(env("TRYGG_MAX_MESSAGE_CHARS", cls.max_message_chars)),
            rasa_timeout_s=float(env("TRYGG_RASA_TIMEOUT_S", cls.rasa_timeout_s)),
            rasa_drain_file=Path(env("TRYGG_RASA_DRAIN_FILE") or state_dir() / "rasa-draining"),
            log_level=env("TRYGG_LOG_LEVEL", cls.log_level),
            locales_dir=Path(env("TRYGG_LOCALES_DIR") or cls.locales_dir),
            facts_file=Path(env("TRYGG_FACTS_FILE") or cls.facts_file),
            cookie_secure=env("TRYGG_COOKIE_SECURE", "1") != "0",
            console_require_second_step=env("TRYGG_CONSOLE_REQUIRE_2FA", "0") == "1",
            rate_burst=int(env("TRYGG_RATE_BURST", cls.rate_burst)),
            counter_flush_s=float(env("TRYGG_COUNTER_FLUSH_S", cls.counter_flush_s)),
            rate_per_second=float(env("TRYGG_RATE_PER_SECOND", cls.rate_per_second)),
            proxies_count=int(env("TRYGG_PROXIES_COUNT", cls.proxies_count)),
        )
