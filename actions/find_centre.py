"""Nearest RVC: from where the resident says they live to the centre that serves them.

The place is read from the ``location`` entity (buttons) or the message text, matched in the
gazetteer (bot/places.py, bot/content/places.yml) and never stored: only the centre it
belongs to is kept in the ``centre`` slot, for a callback booking. Facts (a dated address) come from bot/content/facts.yml.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import count
from actions.tracker_reading import language_of
from bot.answers import Content
from bot.places import PlaceMatch, centres, find_place
from bot.settings import current


class ActionCentreIfNamed(Action):
    """After another answer ("where can I turn?"): if the message also names where the resident
    lives, the centre for it too. A long story that names Enskededalen gets its RVC."""

    def name(self) -> str:
        return "action_centre_if_named"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        match = find_place(tracker.latest_message.get("text") or "")
        return answer_place(dispatcher, tracker, match) if match.kind == "district" else []


class ActionAskLocation(Action):
    """ "Which RVC is mine?": the centre at once if the message names a place, else the question."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        match = find_place(tracker.latest_message.get("text") or "")
        if match.kind in ("district", "outside"):
            return answer_place(dispatcher, tracker, match)
        dispatcher.utter_message(response="utter_ask_location")
        return []


class ActionFindCentre(Action):
    def name(self) -> str:
        return "action_find_centre"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        said = (
            next(tracker.get_latest_entity_values("location"), None)
            or tracker.latest_message.get("text")
            or ""
        )
        return answer_place(dispatcher, tracker, find_place(said))


def answer_place(
    dispatcher: CollectingDispatcher, tracker: Tracker, match: PlaceMatch
) -> List[Dict[str, Any]]:
    """The answer to where the resident lives: the centre, another municipality, or ask again."""
    count("centre_lookup:" + match.kind, language_of(tracker), match.centre or "")
    if match.kind == "district":
        _answer_centre(dispatcher, match)
        # Only the centre is kept (for a callback booking), never the place.
        return [SlotSet("centre", match.centre)]
    elif match.kind == "outside":
        dispatcher.utter_message(response="utter_outside_city", place=match.place)
    elif match.kind == "postcode_unknown":
        dispatcher.utter_message(response="utter_postcode_unknown")
        dispatcher.utter_message(response="utter_location_unknown")
    else:
        dispatcher.utter_message(response="utter_location_unknown")
    return []


def _answer_centre(dispatcher: CollectingDispatcher, match: PlaceMatch) -> None:
    name = centres()[match.centre]
    dispatcher.utter_message(
        response="utter_centre_found", place=match.place or match.district, centre_name=name
    )
    address = Content.from_settings(current()).fact(f"{match.centre}_address")
    if address:
        dispatcher.utter_message(
            response="utter_centre_address_dated",
            address=address["value"],
            year=address.get("as_of", ""),
        )
    if match.status != "confirmed":
        dispatcher.utter_message(
            response="utter_centre_inferred_note",
            district=match.district or match.place,
            centre_name=name,
        )
    dispatcher.utter_message(response="utter_centre_how_to_reach")
