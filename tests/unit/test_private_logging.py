"""bot/private_logging.py: logged tracebacks keep frames and types, never messages."""

import io
import logging

from bot import private_logging


def logged(exception_factory, formatter: logging.Formatter = None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    if formatter is not None:
        handler.setFormatter(formatter)
    logger = logging.getLogger("test-private-logging")
    logger.addHandler(handler)
    original = logging.Formatter.formatException
    private_logging.install()
    try:
        try:
            exception_factory()
        except Exception:
            logger.exception("failed")
    finally:
        logging.Formatter.formatException = original
        logger.removeHandler(handler)
    return stream.getvalue()


SECRET_KEY = "hemlig-nyckel 070-555 11 22"
SECRET_PLACE = "hemlig-plats"


def raise_chained():
    # The secrets come from variables: a traceback shows lines of code, which is fine.
    try:
        {}[SECRET_KEY]
    except KeyError as error:
        raise RuntimeError(f"could not place {SECRET_PLACE}") from error


def test_messages_are_withheld_and_frames_kept():
    text = logged(raise_chained)
    assert SECRET_KEY not in text and SECRET_PLACE not in text
    assert (
        "builtins.KeyError (message withheld" in text
        and "builtins.RuntimeError (message withheld" in text
    )
    assert "raise_chained" in text and "test_private_logging.py" in text
    assert text.index("KeyError") < text.index("RuntimeError")  # cause first, as Python prints


def raise_while_handling():
    try:
        int(SECRET_KEY)
    except ValueError:
        raise LookupError(SECRET_PLACE)


def test_an_error_raised_while_handling_another_withholds_both_messages():
    text = logged(raise_while_handling)
    assert SECRET_KEY not in text and SECRET_PLACE not in text
    assert text.index("builtins.ValueError (message withheld") < text.index(
        "builtins.LookupError (message withheld"
    )


def test_the_formatters_rasa_and_sanic_log_with_withhold_messages_too():
    # install() patches logging.Formatter itself, so the formatter classes Rasa (coloredlogs) and
    # Sanic (logging.Formatter from its LOGGING_CONFIG_DEFAULTS) configure inherit it.
    import coloredlogs
    from sanic.log import LOGGING_CONFIG_DEFAULTS

    sanic_format = LOGGING_CONFIG_DEFAULTS["formatters"]["generic"]["format"]
    for formatter in (
        coloredlogs.ColoredFormatter("%(asctime)s %(levelname)s %(message)s"),
        logging.Formatter(sanic_format),
    ):
        text = logged(raise_chained, formatter)
        assert SECRET_KEY not in text and SECRET_PLACE not in text, type(formatter)
        assert "builtins.RuntimeError (message withheld" in text
