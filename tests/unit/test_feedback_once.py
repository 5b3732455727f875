"""A feedback answer counts once per conversation and session (actions/followup.py), read from
the tracker's events alone."""

from actions.followup import FEEDBACK, answered_before


def user(intent, choice=None):
    entities = [{"entity": "choice", "value": choice}] if choice else []
    return {"event": "user", "parse_data": {"intent": {"name": intent}, "entities": entities}}


SESSION = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]


def test_the_first_feedback_answer_of_a_session_counts():
    assert not answered_before(
        SESSION + [user("thanks"), user("feedback", "yes")], "feedback", FEEDBACK
    )


def test_a_second_feedback_answer_in_the_same_session_does_not_count():
    events = SESSION + [user("feedback", "no"), {"event": "bot"}, user("feedback", "yes")]
    assert answered_before(events, "feedback", FEEDBACK)


def test_an_answer_in_an_earlier_session_does_not_stop_a_new_one():
    events = [user("feedback", "yes")] + SESSION + [user("feedback", "yes")]
    assert not answered_before(events, "feedback", FEEDBACK)


def test_an_answer_that_was_not_counted_does_not_stop_the_next():
    events = SESSION + [user("feedback", "maybe"), user("feedback"), user("feedback", "partly")]
    assert not answered_before(events, "feedback", FEEDBACK)
