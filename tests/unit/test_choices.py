"""When the classifier is unsure, the topics it hesitated between become buttons (actions/choices.py)."""

from actions.choices import choices, topic_titles


def ranking(*pairs):
    return [{"name": "nlu_fallback", "confidence": 1.0}] + [
        {"name": n, "confidence": c} for n, c in pairs
    ]


def test_the_likeliest_topics_with_a_button_title_come_first():
    assert choices(
        ranking(
            ("legal_counsel", 0.3),
            ("greet", 0.25),
            ("contact_ban", 0.2),
            ("trial", 0.1),
            ("compensation", 0.06),
        )
    ) == ["legal_counsel", "contact_ban", "trial"]


def test_unlikely_topics_and_non_topics_are_not_offered():
    assert choices(ranking(("stop", 0.5), ("choose", 0.3), ("legal_counsel", 0.01))) == []
    assert "stop" not in topic_titles() and topic_titles()["contact_ban"] == "Kontaktförbud"
