"""Run the action server on loopback only (``python -m actions.server``).

rasa_sdk's own runner listens on 0.0.0.0 unless SANIC_HOST is set; we bind 127.0.0.1 by
default and turn Sanic's access log off (it would log client addresses). The follow-up
counters the actions gather (bot/followup.py) are written every TRYGG_COUNTER_FLUSH_S seconds
and once more when the server stops.
"""

import asyncio
import logging

from rasa_sdk.endpoint import create_app

from bot import followup, private_logging, secrets
from bot.language import detect_language
from bot.settings import current


def main() -> None:
    private_logging.install()
    secrets.keep_files_private()
    settings = current()
    secrets.check_private_state(settings)  # says the chmod to run if other users can read it
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # TRYGG_ACTIONS_PACKAGE: another package of actions (the tests run one that raises).
    app = create_app(settings.actions_package, cors_origins=None)

    @app.before_server_start
    async def build_language_detectors(app, _loop) -> None:
        detect_language("Trygg chatt startar")  # ≈2 s now, not in a resident's first booking step

    @app.after_server_start
    async def write_counters_every_few_seconds(app, _loop) -> None:
        app.ctx.counters = asyncio.ensure_future(
            followup.buffer.flush_forever(settings.counter_flush_s)
        )

    @app.before_server_stop
    async def write_last_counters(app, _loop) -> None:
        app.ctx.counters.cancel()
        await asyncio.gather(app.ctx.counters, return_exceptions=True)
        followup.buffer.flush()

    app.run(
        host=settings.actions_host,
        port=settings.actions_port,
        access_log=False,
        motd=False,
        workers=1,
    )


if __name__ == "__main__":
    main()
