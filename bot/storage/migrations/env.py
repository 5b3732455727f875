"""Alembic environment: migrations run against the URL set by bot/storage/migrate.py."""

from alembic import context

from bot.storage.db import engine_for
from bot.storage.models import metadata

url = context.config.get_main_option("sqlalchemy.url")
with engine_for(url).connect() as connection:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=url.startswith("sqlite")
    )
    with context.begin_transaction():
        context.run_migrations()
