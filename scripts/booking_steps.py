"""Walk a booking over /api/chat to any of its steps: shared by the tests and `make bench-nlu`,
which check that danger and questions interrupt every step the same way.

``say(message) -> answers`` is any function that posts one message of one conversation.
"""

import json
from typing import Any, Callable, Dict, List

Say = Callable[[str], List[Dict[str, Any]]]

# The booking form's questions, in the order it asks them (domain.yml, forms: booking_form).
STEPS = (
    "centre",
    "callback_slot",
    "safe_times",
    "may_identify",
    "may_leave_message",
    "withheld_ok",
    "call_language",
    "interpreter",
    "phone_token",
    "consent",
)
START = {
    "sv": "jag vill bli uppringd",
    "en": "can someone call me back?",
    "ar": "أريد أن يتصل بي أحد من المركز",
    "fa": "می‌خواهم با من تماس بگیرند",
    "so": "waxaan rabaa in la i soo waco",
    "fi": "haluan että minulle soitetaan takaisin",
}
# A number from the range PTS reserves for fiction (070-17 406 05 … 070-17 406 99).
FICTION_PHONE = "070-17 406 {n:02d}"


def choose(value: str) -> str:
    return "/choose" + json.dumps({"choice": value})


def payloads(answers: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for a in answers for b in a.get("buttons", [])]


def texts(answers: List[Dict[str, Any]]) -> List[str]:
    return [a["text"] for a in answers if a.get("text")]


def answer_for(step: str, answers: List[Dict[str, Any]], n: int = 50) -> str:
    """What a resident sends to answer ``step``, given the answers that asked it."""
    if step == "callback_slot":
        return next(p for p in payloads(answers) if '"choice": "slot_' in p)
    if step == "phone_token":
        return FICTION_PHONE.format(n=5 + n % 95)
    return choose(
        {
            "centre": "rvc_innerstan",
            "safe_times": "weekday_mornings",
            "call_language": "sv",
            "may_identify": "no",
            "may_leave_message": "no",
            "withheld_ok": "yes",
            "interpreter": "no",
            "consent": "yes",
        }[step]
    )


def walk_to(say: Say, language: str, step: str, n: int = 50) -> List[Dict[str, Any]]:
    """Start a booking and answer every question before ``step``; returns the answers that ask it."""
    answers = say(START[language])
    for earlier in STEPS[: STEPS.index(step)]:
        answers = say(answer_for(earlier, answers, n))
    return answers


def is_emergency_first(answers: List[Dict[str, Any]]) -> bool:
    """The 112 answer comes first: the first answer's style (custom) is "emergency"."""
    first_custom = next((a["custom"] for a in answers if a.get("custom")), {})
    return (
        bool(answers)
        and answers[0].get("text") is not None
        and first_custom.get("priority") == "emergency"
    )
