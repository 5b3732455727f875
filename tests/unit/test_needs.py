"""Needs that outrank the topic of a message, in six languages (bot/needs.py)."""

import pytest

from bot.needs import need_of, outranks


@pytest.mark.parametrize(
    "text, need",
    [
        ("Jag är 16 och min pappa vill att jag ska gifta mig med min kusin", "children_young"),
        ("im 15 and my stepdad hits my mom every weekend", "children_young"),
        ("عمري 15 سنة وابوي يضرب امي", "children_young"),
        ("من ۱۶ سالمه و بابام مامانمو میزنه", "children_young"),
        ("waxaan ahay 14 jir aabbahay wuu garaacaa hooyo", "children_young"),
        ("olen 15 ja isä lyö äitiä", "children_young"),
        ("min familj vill gifta bort mig med en man jag inte känner", "honour_violence"),
        ("my family says i bring shame on them and wants to marry me off", "honour_violence"),
        ("اهلي يجبروني على الزواج من ابن عمي", "honour_violence"),
        ("خانواده ام میخوان به زور شوهرم بدن", "honour_violence"),
        ("qoyskayga ayaa doonaya guur qasab ah", "honour_violence"),
        ("suku pakottaa naimisiin serkun kanssa", "honour_violence"),
        ("how do i stop being abusive to my girlfriend?", "uses_violence"),
        ("jag slår min fru ibland och vill sluta", "uses_violence"),
        ("ضربت زوجتي وبدي اوقف العنف", "uses_violence"),
        ("زنمو زدم و نمیخوام دیگه تکرار بشه", "uses_violence"),
        ("waxaan garaacay xaaskayga waxaan rabaa inaan joojiyo", "uses_violence"),
        ("olen lyönyt vaimoani ja haluan lopettaa", "uses_violence"),
    ],
)
def test_the_most_safety_relevant_need_is_found(text, need):
    assert need_of(text) == need


@pytest.mark.parametrize(
    "text",
    [
        "vi har varit gifta i 16 år",
        "min dotter är 15 år och blir slagen",
        "han slog mig för 12 år sedan",
        "ring mig kl 16",
        "vad är 15 gånger 7",
        "paljonko on 15 kertaa 7",
        "mun kumppani on väkivaltainen",
        "hur gör jag en polisanmälan",
    ],
)
def test_ages_of_others_and_numbers_are_no_need(text):
    assert need_of(text) is None


def test_priority_order():
    assert outranks("children_young", "honour_violence") and outranks(
        "honour_violence", "uses_violence"
    )
    assert outranks("uses_violence", "where_to_turn") and not outranks(
        "uses_violence", "children_young"
    )
