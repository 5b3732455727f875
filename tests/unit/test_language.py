"""The answer language: explicit request > client's choice > confident detection > earlier turns."""
import pytest

from bot.language import detect_language, resolve_language


def user(text, language=None, intent="greet", entities=()):
    event = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}
    if language:
        event["metadata"] = {"language": language}
    return event


def tracker(*events):
    return {"events": list(events)}


@pytest.mark.parametrize("text, language", [
    ("jag behöver hjälp, min man slår mig", "sv"),
    ("I need help, my husband hits me", "en"),
    ("أحتاج مساعدة زوجي يضربني", "ar"),
    ("به کمک نیاز دارم شوهرم مرا می‌زند", "fa"),
    ("waxaan u baahanahay caawimaad", "so"),
    ("tarvitsen apua, mieheni lyö minua", "fi"),
])
def test_detects_each_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["ok", "ja", "0701234567", "?", "RVC", "tel_Xk3mQpL9aZrTbWcYdEfGhJ", "tel_invalid"])
def test_short_or_ambiguous_text_is_not_detected(text):
    assert detect_language(text) is None


def test_client_choice_wins_over_detection():
    assert resolve_language(tracker(user("I need help with something", language="sv"))) == "sv"


def test_language_stays_stable_for_short_messages():
    assert resolve_language(tracker(user("tarvitsen apua nyt heti"), user("ok"), user("0701234567"))) == "fi"


def test_explicit_switch_request_wins():
    switch = user("can you answer in English?", intent="switch_language",
                  entities=[{"entity": "language", "value": "en"}])
    assert resolve_language(tracker(user("hej", language="sv"), switch)) == "en"


def test_button_payloads_do_not_change_language():
    assert resolve_language(tracker(user("أحتاج مساعدة الآن من فضلك"), user("/rvc_offer"))) == "ar"


def test_default_is_swedish():
    assert resolve_language({}) == "sv"
    assert resolve_language(tracker(user("ok"))) == "sv"


@pytest.mark.parametrize("text, language", [
    ("can you answer in English?", "en"), ("svara på arabiska tack", "ar"), ("puhu suomea", "fi"),
    ("هل يمكنك الرد بالعربية", "ar"), ("تكلم عربي", "ar"), ("فارسی صحبت کن", "fa"), ("ku hadal af-soomaali", "so"),
])
def test_language_named_in_a_switch_request(text, language):
    switch = user(text, intent="switch_language")
    assert resolve_language(tracker(user("hej", language="sv"), switch)) == language
