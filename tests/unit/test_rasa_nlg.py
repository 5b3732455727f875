"""The compact tracker sent to our NLG endpoint keeps what decides the answer language."""

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language import resolve_language
from bot.rasa.nlg import RECENT_USER_MESSAGES, compact_tracker


def user(text, intent="greet", metadata=None):
    return UserUttered(text, intent={"name": intent, "confidence": 1.0}, metadata=metadata or {})


def test_a_language_request_is_kept_through_a_booking_made_with_buttons():
    events = [
        user("hej"),
        user("can you answer in English?", "switch_language"),
        user("I want a callback"),
    ]
    events += [user('/choose{"choice": "yes"}', "choose") for _ in range(RECENT_USER_MESSAGES + 5)]
    events += [user(f"kontaktförbud {n}") for n in range(RECENT_USER_MESSAGES + 2)]
    compact = compact_tracker(DialogueStateTracker.from_events("x", events))
    texts = [e["text"] for e in compact["events"]]
    assert "can you answer in English?" in texts and "hej" not in texts
    assert sum(not t.startswith("/") for t in texts) == RECENT_USER_MESSAGES + 1
    assert resolve_language(compact) == "en"


def test_the_latest_language_pick_is_kept():
    events = [user("hej", metadata={"language": "so"})] + [
        user("ok") for _ in range(RECENT_USER_MESSAGES + 3)
    ]
    compact = compact_tracker(DialogueStateTracker.from_events("x", events))
    assert compact["events"][0]["metadata"] == {"language": "so"}
    assert resolve_language(compact) == "so"


def test_every_nlg_request_carries_the_shared_secret(tmp_path, monkeypatch):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa.nlg import CompactCallbackNLG
    from bot.secrets import NLG_TOKEN_HEADER, load_secrets
    from bot.settings import current

    monkeypatch.setenv("TRYGG_SECRETS_FILE", str(tmp_path / "secrets.json"))
    current.cache_clear()
    nlg = CompactCallbackNLG(EndpointConfig("http://127.0.0.1:9/nlg"))
    sent = {}

    async def request(**kwargs):
        sent.update(kwargs)
        return {"text": "hej", "buttons": [], "custom": {}}

    nlg.nlg_endpoint.request = request
    tracker = DialogueStateTracker.from_events("x", [user("hej")])
    asyncio.run(nlg.generate("utter_greet", tracker, "rest"))
    assert sent["headers"] == {NLG_TOKEN_HEADER: load_secrets()["nlg_token"]}
    assert "token" not in (sent.get("params") or {})  # never in the URL, which is logged
