"""Follow-up counts from the actions (actions/followup.py): conversations started and feedback,
as daily counters; a replayed button is thanked but never counted twice."""

import pytest
from rasa_sdk.events import ActionExecuted, SessionStarted

from actions.followup import ActionRecordFeedback, ActionSessionStart


def responses(dispatcher):
    return [message["response"] for message in dispatcher.messages]


@pytest.mark.parametrize(
    "metadata, language",
    [({"language": "fa"}, "fa"), ({"language": "de"}, ""), ({}, ""), (None, "")],
)
async def test_a_session_start_counts_one_conversation_in_the_language_picked(
    metadata, language, dispatcher, tracker_for, domain, counted
):
    tracker = tracker_for({"session_started_metadata": metadata})
    assert await ActionSessionStart().run(dispatcher, tracker, domain) == [
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    assert counted() == {("conversation_started", language, ""): 1}


async def test_a_warm_up_probe_is_not_counted_as_a_conversation(
    dispatcher, tracker_for, domain, counted
):
    tracker = tracker_for({"session_started_metadata": {"trygg_probe": True}})
    assert await ActionSessionStart().run(dispatcher, tracker, domain) == [
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    assert counted() == {}


@pytest.mark.parametrize(
    "intent, picked, answer",
    [
        ("feedback", "yes", "utter_feedback_thanks"),
        ("feedback", "partly", "utter_ask_improvement"),
        ("feedback", "no", "utter_ask_improvement"),
        ("improvement", "language_missing", "utter_feedback_thanks"),
        ("improvement", "other", "utter_feedback_thanks"),
    ],
)
async def test_a_feedback_button_is_counted_and_answered(
    intent, picked, answer, dispatcher, tracker_for, domain, counted
):
    await ActionRecordFeedback().run(
        dispatcher, tracker_for(intent=intent, choice=picked, language="fi"), domain
    )
    assert responses(dispatcher) == [answer]
    assert counted() == {(f"{intent}:{picked}", "", ""): 1}  # for the whole city


@pytest.mark.parametrize(
    "intent, picked", [("feedback", "maybe"), ("improvement", "yes"), ("choose", "yes")]
)
async def test_an_answer_the_question_does_not_have_is_thanked_and_not_counted(
    intent, picked, dispatcher, tracker_for, domain, counted
):
    await ActionRecordFeedback().run(dispatcher, tracker_for(intent=intent, choice=picked), domain)
    assert responses(dispatcher) == ["utter_feedback_thanks"]
    assert counted() == {}


def feedback_event(picked):
    return {
        "event": "user",
        "text": "/feedback",
        "metadata": {"language": "sv"},
        "parse_data": {
            "intent": {"name": "feedback"},
            "entities": [{"entity": "choice", "value": picked}],
        },
    }


async def test_a_replayed_feedback_button_is_thanked_and_not_counted_again(
    dispatcher, tracker_for, domain, counted
):
    earlier = [{"event": "session_started"}, feedback_event("no"), {"event": "bot"}]
    await ActionRecordFeedback().run(
        dispatcher, tracker_for(intent="feedback", choice="yes", earlier=earlier), domain
    )
    assert responses(dispatcher) == ["utter_feedback_thanks"]
    assert counted() == {}


async def test_feedback_in_a_new_session_counts_again(dispatcher, tracker_for, domain, counted):
    earlier = [feedback_event("no"), {"event": "session_started"}]
    await ActionRecordFeedback().run(
        dispatcher, tracker_for(intent="feedback", choice="yes", earlier=earlier), domain
    )
    assert counted() == {("feedback:yes", "", ""): 1}
