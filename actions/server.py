"""Run the action server on loopback only (``python -m actions.server``).

rasa_sdk's own runner listens on 0.0.0.0 unless SANIC_HOST is set; we bind 127.0.0.1 by
default and turn Sanic's access log off (it would log client addresses).
"""
import logging
import os

from rasa_sdk.endpoint import create_app

from bot import private_logging


def main() -> None:
    private_logging.install()
    logging.basicConfig(level=os.environ.get("TRYGG_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # TRYGG_ACTIONS_PACKAGE: another package of actions (the tests run one that raises).
    app = create_app(os.environ.get("TRYGG_ACTIONS_PACKAGE", "actions"), cors_origins=None)
    app.run(host=os.environ.get("TRYGG_ACTIONS_HOST", "127.0.0.1"),
            port=int(os.environ.get("TRYGG_ACTIONS_PORT", "5055")),
            access_log=False, motd=False, workers=1)


if __name__ == "__main__":
    main()
