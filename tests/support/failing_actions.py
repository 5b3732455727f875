"""An action server package whose ``action_find_centre`` raises with the resident's words in
the exception message: the worst case for logs (tests/integration/test_hardening.py)."""

from rasa_sdk import Action


class ActionFindCentreRaising(Action):
    def name(self):
        return "action_find_centre"

    async def run(self, dispatcher, tracker, domain):
        raise ValueError(f"could not place {tracker.latest_message.get('text')}")
