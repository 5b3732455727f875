"""Needs that outrank the topic of a message: under 18, honour-related violence, using violence.

"Jag är 16 och min pappa vill att jag ska gifta mig med min kusin" is about where to turn, but
the answer that protects the writer is the young people's one. The rules live in
``bot/content/needs_patterns.yml`` (concept patterns, bot/patterns.py), in order of safety;
the NLU component ``bot.rasa.nlu_needs`` applies them. Acute danger (bot/danger.py) still wins.
"""

from pathlib import Path
from typing import Optional

from bot import patterns

NEEDS_FILE = Path(__file__).resolve().parent / "content" / "needs_patterns.yml"
# The intents a need can lead to, most safety-relevant first.
PRIORITY = ("children_young", "honour_violence", "uses_violence")


def need_of(text: str) -> Optional[str]:
    """The intent of the most safety-relevant need ``text`` states, or None."""
    rule = patterns.load(NEEDS_FILE).first_match_in(text)
    if rule is None:
        return None
    # Several rules may lead to one intent: "children_young_2" -> "children_young".
    return next(intent for intent in PRIORITY if rule == intent or rule.startswith(intent + "_"))


def outranks(need: str, intent: Optional[str]) -> bool:
    """Does ``need`` come before ``intent`` (a topic, or a lower need)?"""
    if intent not in PRIORITY:
        return True
    return PRIORITY.index(need) < PRIORITY.index(intent)
