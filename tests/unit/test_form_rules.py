"""Every intent that interrupts a form has its rule in both forms, and the rules file is current."""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from form_rules import FORMS, HANDLED_ELSEWHERE, RULES_FILE, interruptions, render  # noqa: E402

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_the_rules_file_is_generated_from_the_domain():
    assert RULES_FILE.read_text(encoding="utf-8") == render(DOMAIN)


def test_danger_and_every_question_interrupt_every_form_step():
    listed = interruptions(DOMAIN)
    assert "acute_danger" in listed and "stop" in listed
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    covered = {(r["condition"][0]["active_loop"], r["steps"][0]["intent"]) for r in rules}
    assert {(f, i) for f in FORMS for i in listed if i not in HANDLED_ELSEWHERE} <= covered
    for rule in rules:  # 112 first, and the form goes on afterwards
        steps = [s.get("action") for s in rule["steps"][1:-1]]
        assert steps[-1] == rule["condition"][0]["active_loop"] == rule["steps"][-1]["active_loop"]
        if rule["steps"][0]["intent"] == "acute_danger":
            assert steps[0] == "utter_acute_danger"


def test_every_question_that_interrupts_a_form_has_an_answer():
    for intent in interruptions(DOMAIN):
        if intent not in HANDLED_ELSEWHERE | {"acute_danger", "switch_language"}:
            assert f"utter_{intent}" in DOMAIN["responses"], intent


def test_every_knowledge_intent_interrupts_the_forms():
    knowledge = yaml.safe_load((ROOT / "data/rules/knowledge.yml").read_text(encoding="utf-8"))[
        "rules"
    ]
    answered = {
        r["steps"][0]["intent"]
        for r in knowledge
        if r["steps"][1]["action"] == f"utter_{r['steps'][0]['intent']}"
    }
    answered -= {"greet", "goodbye", "thanks", "affirm", "deny", "feedback", "improvement"}
    assert answered <= set(interruptions(DOMAIN)), answered - set(interruptions(DOMAIN))
