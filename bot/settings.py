"""Configuration, read from the environment once and passed around.

Long because it lists every setting with its variable and meaning, one per field: that list is
the point of the module (README's table is generated from it).

This is the only module that reads ``TRYGG_*`` variables. Each setting is one field below with
its variable, default and meaning; README.md's configuration table is generated from them
(``python -m bot.settings``) and a test keeps the two equal.

The web app builds one ``Settings`` at start and passes it in (``app.ctx.settings``). The
action server and command-line jobs have no such entry point for every call, so they use
``current()``: the same object, read once per process. Secrets have no defaults here: they are
created at first run outside the repository (bot/secrets.py).
"""

import os
import sys
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent


# Variables scripts/stack.py sets for Rasa, which substitutes them into endpoints.yml and
# endpoints-redis.yml (Rasa reads them, not our code).
RASA_ENDPOINT_VARIABLES = {
    "TRYGG_ACTION_ENDPOINT": "the action server's webhook",
    "TRYGG_NLG_ENDPOINT": "the web app's `/nlg`, where Rasa gets its answers",
    "TRYGG_TRACKER_EXPIRY_S": "`TRYGG_TRACKER_EXPIRY_S` above, in whole seconds",
    "TRYGG_REDIS_HOST": "Redis for trackers and locks (endpoints-redis.yml only)",
    "TRYGG_REDIS_PORT": "… its port",
    "TRYGG_REDIS_DB": "… its database number",
}


def _default_state_dir() -> Path:
    return (
        Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "trygg-chatt"
    )


def setting(env: str, default: Any, doc: str, shown_default: str = "") -> Any:
    """A field read from ``env``; ``shown_default`` is how the README shows a derived default."""
    return field(default=default, metadata={"env": env, "doc": doc, "shown": shown_default})


@dataclass(frozen=True)
class Settings:
    # The web app
    host: str = setting("TRYGG_HOST", "127.0.0.1", "web app address")
    port: int = setting("TRYGG_PORT", 8000, "web app port")
    site_origin: str = setting(
        "TRYGG_SITE_ORIGIN",
        "",
        "the city website: the one origin CORS allows and whose pages may frame the chat",
        "empty (same origin only)",
    )
    max_message_chars: int = setting(
        "TRYGG_MAX_MESSAGE_CHARS", 2000, "longest message a resident can send"
    )
    log_level: str = setting(
        "TRYGG_LOG_LEVEL",
        "INFO",
        "never DEBUG by default; no log line carries message text or a number",
    )
    rate_burst: int = setting(
        "TRYGG_RATE_BURST",
        20,
        "per-client limit on `/api/chat` and the console login: "
        "a burst (clients kept as an in-memory keyed hash, never logged)",
    )
    rate_per_second: float = setting("TRYGG_RATE_PER_SECOND", 1.0, "… then this steady rate")
    proxies_count: int = setting(
        "TRYGG_PROXIES_COUNT",
        0,
        "trusted reverse proxies in front of the web app; the "
        "rate limit then applies per forwarded client address (docs/deploy.md)",
    )
    cookie_secure: bool = setting(
        "TRYGG_COOKIE_SECURE",
        True,
        "Secure flag on console cookies (browsers accept it on http://127.0.0.1 and localhost)",
    )
    console_require_second_step: bool = setting(
        "TRYGG_CONSOLE_REQUIRE_2FA",
        True,
        "every staff account must turn on the code step (bot/totp.py) before using the console, "
        "and cannot turn it off; `make run` sets `0` for its demo accounts unless set",
    )
    console_client_failures: int = setting(
        "TRYGG_CONSOLE_CLIENT_FAILURES",
        20,
        "failed console logins one client may make (any accounts, 15 minutes) before each next "
        "try waits twice as long; 5 for one account (bot/console/throttle.py)",
    )
    console_hash_slots: int = setting(
        "TRYGG_CONSOLE_HASH_SLOTS",
        4,
        "console password checks (Argon2id, 2 threads, off the event loop) running or "
        "waiting at once; more get 503 at once",
    )
    reveal_alert_per_day: int = setting(
        "TRYGG_REVEAL_ALERT_PER_DAY",
        15,
        "leads and admins see an alert for a staff member who showed more distinct numbers "
        "than this in one day (docs/deploy.md)",
    )
    nlg_allow_remote: bool = setting(
        "TRYGG_NLG_ALLOW_REMOTE",
        False,
        "`/nlg` also answers callers that are not on loopback (Rasa on another machine); "
        "the shared secret is always required",
    )
    counter_flush_s: float = setting(
        "TRYGG_COUNTER_FLUSH_S",
        5.0,
        "follow-up counters are written in batches this often (seconds)",
    )
    # Rasa, as the web app sees it
    rasa_urls: Tuple[str, ...] = setting(
        "TRYGG_RASA_URLS",
        ("http://127.0.0.1:5005",),
        "comma-separated Rasa workers; a new conversation goes to "
        "the least busy one and stays there (bot/rasa/workers.py), the next one if it is down",
        "set by `scripts/stack.py`",
    )
    rasa_workers: int = setting(
        "TRYGG_RASA_WORKERS",
        0,
        "Rasa processes `make run` starts (ports 5005, 5006, …); each uses ≈2 GB of memory",
        "one per core, at most 2",
    )
    # Below the widget's 10 s, so the widget never resends a message Rasa is still answering.
    rasa_timeout_s: float = setting(
        "TRYGG_RASA_TIMEOUT_S",
        9.0,
        "how long the web app waits for Rasa's answer (seconds; below the widget's 10 s)",
    )
    tracker_expiry_s: float = setting(
        "TRYGG_TRACKER_EXPIRY_S",
        1800.0,
        "conversations are dropped this long "
        "after their last message (seconds), in memory and in Redis",
    )
    rasa_drain_file: Path = setting(
        "TRYGG_RASA_DRAIN_FILE",
        Path(),
        "Rasa workers listed there get no new requests (a model roll)",
        "`$TRYGG_STATE_DIR/rasa-draining`",
    )
    # The action server
    action_server_url: str = setting(
        "TRYGG_ACTION_SERVER_URL", "http://127.0.0.1:5055", "the action server, for `/healthz`"
    )
    actions_host: str = setting("TRYGG_ACTIONS_HOST", "127.0.0.1", "action server address")
    actions_port: int = setting("TRYGG_ACTIONS_PORT", 5055, "action server port")
    actions_package: str = setting(
        "TRYGG_ACTIONS_PACKAGE",
        "actions",
        "the package the action server loads (tests load a failing one)",
    )
    # Data
    state_dir: Path = setting(
        "TRYGG_STATE_DIR",
        Path(),
        "database and secrets, outside the repository",
        "`~/.local/state/trygg-chatt`",
    )
    database_url: str = setting(
        "TRYGG_DATABASE_URL",
        "",
        "bookings database (PostgreSQL: `postgresql+psycopg2://…`)",
        "`sqlite:///$TRYGG_STATE_DIR/trygg.db`",
    )
    secrets_file: Path = setting(
        "TRYGG_SECRETS_FILE",
        Path(),
        "phone encryption keys, reference-code pepper and the `/nlg` secret; "
        "created at first run (0600)",
        "`$TRYGG_STATE_DIR/secrets.json`",
    )
    schedule_file: Path = setting(
        "TRYGG_SCHEDULE_FILE",
        ROOT / "bot" / "content" / "schedule.yml",
        "callback hours",
        "`bot/content/schedule.yml`",
    )
    locales_dir: Path = setting(
        "TRYGG_LOCALES_DIR", ROOT / "locales", "where answers are read from", "`locales/`"
    )
    facts_file: Path = setting(
        "TRYGG_FACTS_FILE",
        ROOT / "bot" / "content" / "facts.yml",
        "where facts are read from",
        "`bot/content/facts.yml`",
    )
    phone_retention_days: float = setting(
        "TRYGG_PHONE_RETENTION_DAYS",
        14.0,
        "the retention job deletes bookings, number and all, created this many days ago "
        "(every 10 min in the web app; `python -m bot.retention` once)",
    )
    unclaimed_grace_days: float = setting(
        "TRYGG_UNCLAIMED_GRACE_DAYS",
        2.0,
        "… and bookings no caller holds (done, cancelled, never claimed) "
        "this long after their slot",
    )
    counter_retention_months: int = setting(
        "TRYGG_COUNTER_RETENTION_MONTHS",
        36,
        "… and follow-up counters (per month) of months older than this",
    )
    # Fixed: not configurable, kept here so every limit has one home. Each route's limit is
    # applied before its body is read (bot/app.py); the largest is Sanic's global cap.
    max_body_bytes: int = 16_384  # /api/chat
    # Rasa's NLG requests (the compact tracker, bot/rasa/nlg.py), only with the shared secret.
    max_internal_body_bytes: int = 2_000_000
    max_form_bytes: int = 65_536  # console forms and every other route
    domain_file: Path = ROOT / "domain.yml"
    widget_dir: Path = ROOT / "widget"

    def __post_init__(self) -> None:
        # Defaults that follow other settings (frozen: set once, here).
        derived = {"state_dir": _default_state_dir}
        for name, make in derived.items():
            if getattr(self, name) == Path():
                object.__setattr__(self, name, make())
        state = self.state_dir
        follow = {
            "database_url": f"sqlite:///{state / 'trygg.db'}",
            "secrets_file": state / "secrets.json",
            "rasa_drain_file": state / "rasa-draining",
        }
        for name, value in follow.items():
            if getattr(self, name) in ("", Path()):
                object.__setattr__(self, name, value)
        if self.rasa_workers <= 0:
            object.__setattr__(self, "rasa_workers", max(1, min(2, os.cpu_count() or 1)))

    @classmethod
    def from_env(cls, environ: Dict[str, str] = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata.get("env", ""), "")
            if raw.strip():
                values[f.name] = _parse(raw.strip(), f.default)
        return cls(**values)

    def with_changes(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def _parse(raw: str, default: Any) -> Any:
    """A variable's text as the type of the field's default."""
    if isinstance(default, bool):
        return raw not in ("0", "false", "no", "off")
    if isinstance(default, tuple):
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip()) or default
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, str) and raw.startswith("http"):
        return raw.rstrip("/")
    return type(default)(raw)


# Secure defaults that `make run`'s local demo relaxes unless they were set (scripts/stack.py):
# its printed demo accounts would otherwise need an authenticator app before the first look.
DEMO_RELAXED = {"TRYGG_CONSOLE_REQUIRE_2FA": "0"}


def demo_environment(environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The variables `make run` adds for the local demo: ``DEMO_RELAXED`` where not set."""
    environ = os.environ if environ is None else environ
    return {
        name: value for name, value in DEMO_RELAXED.items() if not environ.get(name, "").strip()
    }


@lru_cache(maxsize=1)
def current() -> Settings:
    """This process's settings, read once (tests that change the environment call
    ``current.cache_clear()``; tests/conftest.py does it around every test)."""
    return Settings.from_env()


def markdown_table() -> str:
    """README.md's configuration table."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for f in fields(Settings):
        if "env" not in f.metadata:
            continue
        shown = f.metadata["shown"] or _shown(f.default)
        rows.append(f"| `{f.metadata['env']}` | {shown} | {f.metadata['doc']} |")
    rows += [
        "",
        "Set by `scripts/stack.py` for Rasa, which substitutes them into `endpoints.yml` and "
        "`endpoints-redis.yml`:",
        "",
        "| Variable | Meaning |",
        "| --- | --- |",
    ]
    rows += [f"| `{name}` | {meaning} |" for name, meaning in RASA_ENDPOINT_VARIABLES.items()]
    return "\n".join(rows)


def _shown(default: Any) -> str:
    if isinstance(default, bool):
        return "`1`" if default else "`0`"
    if isinstance(default, tuple):
        return "`" + ",".join(default) + "`"
    if isinstance(default, float) and default.is_integer():
        return f"`{int(default)}`"
    return f"`{default}`"


if __name__ == "__main__":
    sys.stdout.write(markdown_table() + "\n")
