"""The answer language: explicit request > client's choice > confident detection > earlier turns."""

import pytest

from bot.language import detect_language, resolve_language


def user(text, language=None, intent="greet", entities=()):
    event = {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent}, "entities": list(entities)},
    }
    if language:
        event["metadata"] = {"language": language}
    return event


def tracker(*events):
    return {"events": list(events)}


@pytest.mark.parametrize(
    "text, language",
    [
        ("jag behöver hjälp, min man slår mig", "sv"),
        ("I need help, my husband hits me", "en"),
        ("أحتاج مساعدة زوجي يضربني", "ar"),
        ("به کمک نیاز دارم شوهرم مرا می‌زند", "fa"),
        ("waxaan u baahanahay caawimaad", "so"),
        ("tarvitsen apua, mieheni lyö minua", "fi"),
    ],
)
def test_detects_each_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text", ["ok", "ja", "0701234567", "?", "RVC", "tel_Xk3mQpL9aZrTbWcYdEfGhJ", "tel_invalid"]
)
def test_short_or_ambiguous_text_is_not_detected(text):
    assert detect_language(text) is None


def test_client_choice_wins_over_detection():
    assert resolve_language(tracker(user("I need help with something", language="sv"))) == "sv"


def test_language_stays_stable_for_short_messages():
    assert (
        resolve_language(tracker(user("tarvitsen apua nyt heti"), user("ok"), user("0701234567")))
        == "fi"
    )


def test_explicit_switch_request_wins():
    switch = user(
        "can you answer in English?",
        intent="switch_language",
        entities=[{"entity": "language", "value": "en"}],
    )
    assert resolve_language(tracker(user("hej", language="sv"), switch)) == "en"


def test_button_payloads_do_not_change_language():
    assert resolve_language(tracker(user("أحتاج مساعدة الآن من فضلك"), user("/rvc_offer"))) == "ar"


def test_default_is_swedish():
    assert resolve_language({}) == "sv"
    assert resolve_language(tracker(user("ok"))) == "sv"


@pytest.mark.parametrize(
    "text, language",
    [
        ("can you answer in English?", "en"),
        ("svara på arabiska tack", "ar"),
        ("puhu suomea", "fi"),
        ("هل يمكنك الرد بالعربية", "ar"),
        ("تكلم عربي", "ar"),
        ("فارسی صحبت کن", "fa"),
        ("ku hadal af-soomaali", "so"),
    ],
)
def test_language_named_in_a_switch_request(text, language):
    switch = user(text, intent="switch_language")
    assert resolve_language(tracker(user("hej", language="sv"), switch)) == language


@pytest.mark.parametrize(
    "text",
    [
        "where can I get help",
        "I live in Skärholmen and need help",
        "Does socialtjänsten have to know about this?",
        "what does a målsägandebiträde do",
    ],
)
def test_swedish_names_and_terms_do_not_decide_the_language(text):
    assert resolve_language(tracker(user(text))) == "en"


def switch_to(language, text="can you answer in English please?"):
    return user(
        text, intent="switch_language", entities=[{"entity": "language", "value": language}]
    )


def test_an_explicit_request_holds_against_short_messages_and_swedish_terms():
    assert (
        resolve_language(tracker(user("hej"), switch_to("en"), user("vad är kontaktförbud?")))
        == "en"
    )
    assert (
        resolve_language(tracker(user("hej"), switch_to("en"), user("tack"), user("Skärholmen")))
        == "en"
    )


def test_an_explicit_request_gives_way_to_a_clearly_longer_message_in_another_language():
    long_swedish = "min man slår mig och jag vill veta hur jag ansöker om kontaktförbud"
    assert resolve_language(tracker(user("hej"), switch_to("en"), user(long_swedish))) == "sv"


def test_a_picked_language_holds_against_short_messages_and_terms():
    events = [
        user("hej", language="ar"),
        user("kontaktförbud", language="ar"),
        user("ok tack", language="ar"),
    ]
    assert resolve_language(tracker(*events)) == "ar"


def test_a_short_message_never_flips_the_language():
    assert resolve_language(tracker(user("I need help with my husband"), user("ok tack"))) == "en"
    assert (
        resolve_language(tracker(user("jag behöver hjälp med min man"), user("ok thanks"))) == "sv"
    )


def test_a_switch_request_naming_no_language_is_in_the_language_it_is_written_in():
    assert (
        resolve_language(
            tracker(
                user("hej", language="sv"), user("ممكن تحكي معي بلغتي", intent="switch_language")
            )
        )
        == "ar"
    )


def test_arabizi_is_arabic():
    assert detect_language("jozi 3am yedrobni w ma fi 7ada") == "ar"


def test_a_huge_message_costs_no_more_to_detect_than_its_start(monkeypatch):
    """Every path reads at most MAX_CHARS_TO_DETECT characters, and only they are cached."""
    import bot.language as language

    read = []
    real_fold, real_words = language.fold, language.content_words
    monkeypatch.setattr(language, "fold", lambda text: read.append(len(text)) or real_fold(text))
    monkeypatch.setattr(
        language, "content_words", lambda text: read.append(len(text)) or real_words(text)
    )
    huge = "can you answer in my language please " * 50_000
    switch = user(huge, intent="switch_language")
    resolve_language(tracker(switch, user(huge + "x")))
    assert read and max(read) <= language.MAX_CHARS_TO_DETECT
