"""Database migrations (Alembic), run at start-up by the web app and the action server.

``python -m bot.storage.migrate`` upgrades the configured database (TRYGG_DATABASE_URL).
New migration: ``.venv/bin/python -m bot.storage.migrate revision "what"`` writes an empty one into
bot/storage/migrations/versions/ (there is no alembic.ini: the configuration is built here); edit it.
"""

import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.secrets import PRIVATE_FILE, check_private_state, keep_files_private, make_private_dir
from bot.settings import current
from bot.storage.db import sqlite_file

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    database = sqlite_file(url)
    if database is not None:
        make_private_dir(database.parent)
        # SQLite gives its -wal, -shm and -journal files the database file's mode: a file made
        # here as 0600 keeps all of them the owner's alone, whatever the process's umask.
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
        database.chmod(PRIVATE_FILE)
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    keep_files_private()
    check_private_state(current())
    if sys.argv[1:2] == ["revision"] and len(sys.argv) == 3:
        command.revision(alembic_config(current().database_url), message=sys.argv[2])
    else:
        upgrade(current().database_url)
