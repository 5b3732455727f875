"""When the classifier is unsure (actions/choices.py), the topics it hesitated between are
offered as buttons; with fewer than two, the honest "I don't understand"."""

from actions.choices import ActionOfferChoices


def ranking(*pairs):
    return [{"name": "nlu_fallback", "confidence": 0.6}] + [
        {"name": n, "confidence": c} for n, c in pairs
    ]


async def test_the_likeliest_topics_become_buttons_most_likely_first(
    dispatcher, tracker_for, domain
):
    tracker = tracker_for(
        intent="nlu_fallback",
        text="förbud",
        ranking=ranking(
            ("contact_ban", 0.2),
            ("greet", 0.15),
            ("legal_counsel", 0.1),
            ("trial", 0.08),
            ("compensation", 0.07),
        ),
    )
    assert await ActionOfferChoices().run(dispatcher, tracker, domain) == []
    [offer] = dispatcher.messages
    assert offer["response"] == "utter_offer_choices"
    assert [b["payload"] for b in offer["buttons"]] == ["/contact_ban", "/legal_counsel", "/trial"]
    assert all(b["title"] for b in offer["buttons"])


async def test_button_titles_are_in_the_residents_language(dispatcher, tracker_for, domain):
    pairs = (("contact_ban", 0.3), ("trial", 0.2))
    for language in ("sv", "en"):
        await ActionOfferChoices().run(
            dispatcher,
            tracker_for(
                intent="nlu_fallback", text="x", language=language, ranking=ranking(*pairs)
            ),
            domain,
        )
    swedish, english = ([b["title"] for b in message["buttons"]] for message in dispatcher.messages)
    assert swedish != english


async def test_fewer_than_two_topics_get_the_fallback_answer(dispatcher, tracker_for, domain):
    tracker = tracker_for(
        intent="nlu_fallback",
        text="x",
        ranking=ranking(("contact_ban", 0.3), ("stop", 0.3), ("trial", 0.01)),
    )
    assert await ActionOfferChoices().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    assert dispatcher.messages[0]["buttons"] == []
