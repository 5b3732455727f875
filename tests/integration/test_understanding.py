"""Messages as residents write them, over /api/chat (issue 16): the most safety-relevant need
wins in every language, a place inside a long story gives its centre, and the answer comes in
the resident's language without a widget choice."""

import uuid

import pytest

from bot.answers import Content
from bot.settings import Settings
from tests.helpers import texts

pytestmark = pytest.mark.stack
CONTENT = Content.from_settings(Settings())


def first_paragraph(response, language, **arguments):
    return CONTENT.render(response, language, arguments)["text"].split("\n\n")[0]


UNDER_18 = {
    "sv": "Jag är 16 och min pappa vill att jag ska gifta mig med min kusin",
    "en": "im 15 and my stepdad hits my mom when he drinks, who can i talk to",
    "ar": "عمري 15 سنة وابوي يضرب امي كل يوم، لمين احكي",
    "fa": "من ۱۶ سالمه و بابام مامانمو کتک میزنه، به کی بگم",
    "so": "waxaan ahay 14 jir aabbahay wuu garaacaa hooyo, yaan la hadlaa",
    "fi": "olen 15 ja isä lyö äitiä, kenelle voin puhua",
}
HONOUR = {
    "sv": "min familj vill gifta bort mig med en man jag aldrig träffat, vart kan jag vända mig",
    "en": "my family says i bring shame on them and they want to marry me off, where can i go",
    "ar": "اهلي يجبروني على الزواج من ابن عمي ومش عارفة لمين اروح",
    "fa": "خانواده ام میخوان به زور شوهرم بدن، نمیدونم از کی کمک بگیرم",
    "so": "qoyskayga ayaa doonaya guur qasab ah, xagee caawimaad ka helaa",
    "fi": "suku pakottaa mut naimisiin serkun kanssa, mistä saan apua",
}
USES_VIOLENCE = {
    "sv": "jag har slagit min fru flera gånger och jag vill sluta, vart vänder jag mig",
    "en": "how do i stop being abusive to my girlfriend?",
    "ar": "ضربت زوجتي اكثر من مرة وبدي اوقف العنف، مين يساعدني",
    "fa": "زنمو زدم و نمیخوام دیگه تکرار بشه، کجا کمک بگیرم",
    "so": "waxaan garaacay xaaskayga waxaan rabaa inaan joojiyo, xagee caawimaad ka helaa",
    "fi": "olen lyönyt vaimoani ja haluan lopettaa, mistä saan apua",
}


@pytest.mark.parametrize("language", list(UNDER_18))
def test_under_18_gets_the_young_peoples_answer(client, language):
    answers = client.say(UNDER_18[language])
    assert texts(answers)[0] == first_paragraph("utter_children_young", language), answers


@pytest.mark.parametrize("language", list(HONOUR))
def test_honour_and_forced_marriage_get_the_honour_answer(client, language):
    answers = client.say(HONOUR[language])
    assert texts(answers)[0] == first_paragraph("utter_honour_violence", language), answers


@pytest.mark.parametrize("language", list(USES_VIOLENCE))
def test_a_person_who_uses_violence_gets_rvc_and_valj_att_sluta(client, language):
    answers = client.say(USES_VIOLENCE[language])
    assert texts(answers)[0] == first_paragraph("utter_uses_violence", language), answers


def test_a_place_inside_a_long_story_gives_its_centre(client):
    story = (
        "hej jag vet inte riktigt hur jag ska börja men min sambo har varit elak mot mig länge och "
        "nu vill jag ha hjälp, jag bor i enskededalen, vart ska jag vända mig"
    )
    joined = " ".join(texts(client.say(story)))
    assert "RVC Södra söderort" in joined


@pytest.mark.parametrize(
    "message",
    [
        "where can I get help",
        "I live in Skärholmen and need help",
        "what does a målsägandebiträde do",
    ],
)
def test_english_with_swedish_terms_is_answered_in_english(client, message):
    answers = client.say(message)
    assert answers and all(
        (a.get("custom") or {}).get("language", "en") == "en" for a in answers
    ), answers


def test_a_request_for_english_holds_against_a_message_with_a_swedish_term(client):
    sender = str(uuid.uuid4())
    assert texts(client.say("can you answer in English please?", sender=sender))[
        0
    ] == first_paragraph("utter_language_switched", "en")
    answers = client.say("kontaktförbud?", sender=sender)
    assert texts(answers)[0] == first_paragraph("utter_contact_ban", "en"), answers
