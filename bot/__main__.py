"""``python -m bot``: run the web app (loopback by default; see bot/settings.py)."""

import logging

from bot import private_logging, secrets
from bot.app import create_app
from bot.settings import current


def main() -> None:
    private_logging.install()
    secrets.keep_files_private()
    settings = current()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(settings)
    # access_log off: access lines would carry client addresses; we log event names only.
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
