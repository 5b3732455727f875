"""bot/private_logging.py: logged tracebacks keep frames and types, never messages."""
import io
import logging

from bot import private_logging


def logged(exception_factory) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
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
    assert "builtins.KeyError (message withheld" in text and "builtins.RuntimeError (message withheld" in text
    assert "raise_chained" in text and "test_private_logging.py" in text
    assert text.index("KeyError") < text.index("RuntimeError")  # cause first, as Python prints


def test_without_install_the_message_would_be_logged():
    stream = io.StringIO()
    logger = logging.getLogger("test-private-logging-plain")
    logger.addHandler(logging.StreamHandler(stream))
    try:
        raise_chained()
    except Exception:
        logger.exception("failed")
    assert SECRET_PLACE in stream.getvalue()  # what the module prevents
