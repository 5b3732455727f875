"""Database migrations (Alembic), run at start-up by the web app and the action server.

``python -m bot.storage.migrate`` upgrades the configured database (TRYGG_DATABASE_URL).
New migration: ``.venv/bin/python -m bot.storage.migrate revision "what"`` writes an empty one into
bot/storage/migrations/versions/ (there is no alembic.ini: the configuration is built here); edit it.
"""

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.settings import current

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    if sys.argv[1:2] == ["revision"] and len(sys.argv) == 3:
        command.revision(alembic_config(current().database_url), message=sys.argv[2])
    else:
        upgrade(current().database_url)
