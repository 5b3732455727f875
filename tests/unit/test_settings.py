"""Configuration has one home: bot/settings.py reads every TRYGG_* variable, README.md's table is
generated from it, and both endpoint files follow the same variables."""

import re
from pathlib import Path

import pytest

from bot.settings import RASA_ENDPOINT_VARIABLES, Settings, current, markdown_table

ROOT = Path(__file__).resolve().parents[2]
# Read by the test harness (tests/, scripts/test.sh), never by the app.
TEST_HARNESS = re.compile(r"TRYGG_TEST_\w+")


def test_the_readme_table_is_the_one_settings_generates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- settings:begin -->\n")[1].split("<!-- settings:end -->")[0]
    assert shown.strip() == markdown_table().strip(), (
        "run `.venv/bin/python -m bot.settings` and paste it"
    )


def test_only_settings_reads_trygg_variables():
    readers = []
    for path in [
        *ROOT.glob("bot/**/*.py"),
        *ROOT.glob("actions/**/*.py"),
        *ROOT.glob("scripts/*.py"),
    ]:
        if path == ROOT / "bot" / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(environ|getenv)\b.*TRYGG_", line) and not TEST_HARNESS.search(line):
                readers.append(f"{path.relative_to(ROOT)}:{number}")
    assert readers == []


def test_every_variable_is_parsed_to_its_type():
    settings = Settings.from_env(
        {
            "TRYGG_PORT": "8123",
            "TRYGG_RATE_PER_SECOND": "0.5",
            "TRYGG_COOKIE_SECURE": "0",
            "TRYGG_CONSOLE_REQUIRE_2FA": "0",
            "TRYGG_RASA_URLS": "http://a:1/, http://b:2",
            "TRYGG_STATE_DIR": "/srv/trygg",
            "TRYGG_PHONE_RETENTION_DAYS": "3",
        }
    )
    assert settings.port == 8123 and settings.rate_per_second == 0.5
    assert settings.cookie_secure is False and settings.console_require_second_step is False
    assert settings.rasa_urls == ("http://a:1", "http://b:2")
    # Defaults that follow the state directory.
    assert settings.database_url == "sqlite:////srv/trygg/trygg.db"
    assert settings.secrets_file == Path("/srv/trygg/secrets.json")
    assert settings.rasa_drain_file == Path("/srv/trygg/rasa-draining")
    assert settings.phone_retention_days == 3.0


def test_the_code_step_is_compulsory_by_default():
    assert Settings.from_env({}).console_require_second_step is True


@pytest.mark.parametrize("chosen, started_with", [("", "0"), ("1", "1"), ("0", "0")])
def test_make_run_relaxes_the_code_step_for_its_demo_unless_it_was_set(
    monkeypatch, chosen, started_with
):
    import stack

    monkeypatch.setenv("TRYGG_CONSOLE_REQUIRE_2FA", chosen)
    monkeypatch.setattr(stack.sys, "argv", ["stack.py"])
    made = []

    class Recorded(stack.Stack):
        def __post_init__(self) -> None:
            super().__post_init__()
            made.append(self)

    def claim_run_lock(state, url):  # stops `main` before it starts anything
        raise SystemExit(0)

    monkeypatch.setattr(stack, "Stack", Recorded)
    monkeypatch.setattr(stack, "claim_run_lock", claim_run_lock)
    with pytest.raises(SystemExit):
        stack.main()
    assert made[0].env()["TRYGG_CONSOLE_REQUIRE_2FA"] == started_with
    assert made[0].settings().console_require_second_step is (started_with == "1")


def test_empty_variables_keep_the_default():
    assert Settings.from_env({"TRYGG_PORT": "", "TRYGG_RASA_URLS": " "}) == Settings.from_env({})


def test_current_is_read_once_per_process(monkeypatch):
    monkeypatch.setenv("TRYGG_PORT", "8001")
    first = current()
    monkeypatch.setenv("TRYGG_PORT", "8002")
    assert current() is first and current().port == 8001


def test_both_endpoint_files_use_only_the_variables_stack_sets():
    from stack import Ports, Stack

    env = Stack(ports=Ports(), redis_url="redis://127.0.0.1:6390/3", rasa_workers=1).env()
    for name in ("endpoints.yml", "endpoints-redis.yml"):
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        used = set(re.findall(r"\$\{(\w+)\}", text))
        assert used <= set(RASA_ENDPOINT_VARIABLES), name
        assert all(env.get(variable) for variable in used), name
        assert "enable_selective_domain: true" in text, name


def test_conversations_expire_as_configured_with_redis_too(monkeypatch):
    from stack import Ports, Stack

    monkeypatch.setenv("TRYGG_TRACKER_EXPIRY_S", "600")
    redis = (ROOT / "endpoints-redis.yml").read_text(encoding="utf-8")
    memory = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    assert "record_exp: ${TRYGG_TRACKER_EXPIRY_S}" in redis
    assert "expiry_s: ${TRYGG_TRACKER_EXPIRY_S}" in memory
    assert Stack(ports=Ports(), rasa_workers=1).env()["TRYGG_TRACKER_EXPIRY_S"] == "600"
