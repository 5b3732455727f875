"""The nearest RVC (actions/find_centre.py): the centre for where the resident lives, only the
centre kept, and an honest answer for a place outside the city or no place at all."""

import pytest
from rasa_sdk.events import SlotSet

from actions.find_centre import ActionAskLocation, ActionCentreIfNamed, ActionFindCentre
from bot.places import centres


def responses(dispatcher):
    return [message["response"] for message in dispatcher.messages]


def location(text):
    return [{"entity": "location", "value": text}]


async def test_a_confirmed_district_gets_its_centre_and_only_the_centre_is_kept(
    dispatcher, tracker_for, domain
):
    tracker = tracker_for(
        intent="find_centre", entities=location("Bromma"), text="jag bor i Bromma"
    )
    assert await ActionFindCentre().run(dispatcher, tracker, domain) == [
        SlotSet("centre", "rvc_vasterort")
    ]
    assert responses(dispatcher) == ["utter_centre_found", "utter_centre_how_to_reach"]
    assert dispatcher.messages[0]["centre_name"] == centres()["rvc_vasterort"]


async def test_an_inferred_district_says_so_and_a_known_address_is_given_with_its_date(
    dispatcher, tracker_for, domain
):
    tracker = tracker_for(intent="find_centre", text="Södermalm")
    assert await ActionFindCentre().run(dispatcher, tracker, domain) == [
        SlotSet("centre", "rvc_innerstan")
    ]
    assert responses(dispatcher) == [
        "utter_centre_found",
        "utter_centre_address_dated",
        "utter_centre_inferred_note",
        "utter_centre_how_to_reach",
    ]
    assert dispatcher.messages[1]["address"] and dispatcher.messages[1]["year"]


async def test_the_location_entity_wins_over_the_rest_of_the_message(
    dispatcher, tracker_for, domain
):
    tracker = tracker_for(
        intent="find_centre", entities=location("Bromma"), text="jobbar i Skärholmen"
    )
    assert await ActionFindCentre().run(dispatcher, tracker, domain) == [
        SlotSet("centre", "rvc_vasterort")
    ]


@pytest.mark.parametrize(
    "said, answer",
    [
        ("Solna", ["utter_outside_city"]),
        ("12345", ["utter_postcode_unknown", "utter_location_unknown"]),
        ("någonstans", ["utter_location_unknown"]),
        (
            "jobbar i Kista, bor i Solna",
            ["utter_location_unknown"],
        ),  # two answers: ask, never guess
    ],
)
async def test_no_centre_is_kept_without_a_stockholm_district(
    said, answer, dispatcher, tracker_for, domain
):
    assert (
        await ActionFindCentre().run(
            dispatcher, tracker_for(intent="find_centre", text=said), domain
        )
        == []
    )
    assert responses(dispatcher) == answer


async def test_a_place_outside_the_city_is_named_back(dispatcher, tracker_for, domain):
    await ActionFindCentre().run(
        dispatcher, tracker_for(intent="find_centre", text="Solna"), domain
    )
    assert dispatcher.messages[0]["place"] == "Solna"


@pytest.mark.parametrize(
    "text, events, first",
    [
        ("vilket rvc hör Rinkeby till", [SlotSet("centre", "rvc_vasterort")], "utter_centre_found"),
        ("vilket rvc gäller Solna", [], "utter_outside_city"),
        ("vilket rvc är mitt", [], "utter_ask_location"),
        ("12345", [], "utter_ask_location"),
    ],
)
async def test_which_centre_is_answered_at_once_when_the_message_names_a_place(
    text, events, first, dispatcher, tracker_for, domain
):
    assert (
        await ActionAskLocation().run(
            dispatcher, tracker_for(intent="find_centre", text=text), domain
        )
        == events
    )
    assert responses(dispatcher)[0] == first


async def test_a_long_story_that_names_a_district_gets_its_centre_too(
    dispatcher, tracker_for, domain
):
    text = "min sambo slår mig och jag vet inte vart jag ska vända mig, vi bor i Enskededalen"
    tracker = tracker_for(intent="where_to_turn", text=text)
    assert await ActionCentreIfNamed().run(dispatcher, tracker, domain) == [
        SlotSet("centre", "rvc_sodra_soderort")
    ]
    assert responses(dispatcher)[0] == "utter_centre_found"


@pytest.mark.parametrize("text", ["min sambo slår mig och vi bor i Solna", "min sambo slår mig"])
async def test_a_story_without_a_district_adds_nothing(text, dispatcher, tracker_for, domain):
    assert (
        await ActionCentreIfNamed().run(
            dispatcher, tracker_for(intent="where_to_turn", text=text), domain
        )
        == []
    )
    assert dispatcher.messages == []


async def test_each_lookup_is_counted_by_outcome_and_centre_only(
    dispatcher, tracker_for, domain, counted
):
    for text in ("Bromma", "Solna", "Solna"):
        await ActionFindCentre().run(
            dispatcher, tracker_for(intent="find_centre", text=text, language="so"), domain
        )
    assert counted() == {
        ("centre_lookup:district", "", "rvc_vasterort"): 1,  # never a language with a centre
        ("centre_lookup:outside", "", ""): 2,
    }
