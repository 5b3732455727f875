"""The databases booking tests run on: SQLite always, PostgreSQL when scripts/test.sh started one.

In CI (TRYGG_TEST_REQUIRE_ALL=1) a missing PostgreSQL is a failure, never a skip.
"""

import os
import uuid

import pytest
from sqlalchemy import text

from bot.storage.db import engine_for
from bot.storage.migrate import upgrade


def database_params():
    params = ["sqlite"]
    if os.environ.get("TRYGG_TEST_PG_DSN") or os.environ.get("TRYGG_TEST_REQUIRE_ALL"):
        params.append("postgresql")
    return params


def fresh_database_url(kind: str, tmp_path) -> str:
    """A new, migrated, empty database of ``kind``."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'bookings.db'}"
    else:
        dsn = os.environ.get("TRYGG_TEST_PG_DSN")
        if not dsn:
            pytest.fail("TRYGG_TEST_PG_DSN is not set: run the tests with `make test`")
        name = "t_" + uuid.uuid4().hex[:12]
        with (
            engine_for(dsn).connect().execution_options(isolation_level="AUTOCOMMIT") as connection
        ):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = dsn.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    return url
