"""The staff console's Swedish words for the codes stored in the database, kept in one place.

The database keeps short English codes (stable, searchable); staff read these labels. A code
missing here is shown as itself, so an old or new row never breaks a page.
"""

from typing import Dict

from bot.vocabulary import LANGUAGE_INFO, OUTCOMES, SAFE_TIMES

# Outcomes, safe times and languages are named in bot/content/vocabulary.yml, with their codes.
OUTCOME_LABELS: Dict[str, str] = {code: outcome.label for code, outcome in OUTCOMES.items()}
SAFE_TIME_LABELS: Dict[str, str] = dict(SAFE_TIMES)
LANGUAGE_NAMES: Dict[str, str] = {
    code: language.swedish for code, language in LANGUAGE_INFO.items()
}
ROLE_LABELS: Dict[str, str] = {"staff": "personal", "lead": "samordnare", "admin": "administratör"}
# Every event written with bot/storage/audit.py ``record`` (by bot/storage/ and bot/console/).
EVENT_LABELS: Dict[str, str] = {
    "claim": "Tog uppringningen",
    "reveal": "Visade numret",
    "outcome": "Utfall sparat",
    "schedule_change": "Schemat ändrat",
    "staff_created": "Konto skapat",
    "staff_deactivated": "Konto avstängt",
    "staff_activated": "Konto öppnat igen",
    "staff_password_reset": "Nytt engångslösenord",
    "password_changed": "Bytte eget lösenord",
    "second_step_on": "Tvåstegsinloggning på",
    "second_step_off": "Tvåstegsinloggning av",
    "second_step_off_refused": "Försökte stänga av tvåstegsinloggning (krävs)",
    "refused": "Nekades",
}
# What a refused entry tried to do, and why it was refused (bot/storage/callbacks.py).
ACTION_LABELS: Dict[str, str] = {
    "claim": "ta uppringningen",
    "reveal": "visa numret",
    "outcome": "spara utfall",
}
# How an entry's detail reads. The {names} are the facts stored with it (bot/storage/audit.py);
# an outcome, role or centre in them is shown by its label or name.
DETAIL_WORDING: Dict[str, str] = {
    "outcome": "{outcome}",
    "outcome_closed": "{outcome} – numret raderat",
    "schedule_change": "tidlängd {slot_minutes} min, {capacity} samtal per tid",
    "staff_created": "{username} ({role}, {centre})",
    "staff_deactivated": "{username}",
    "staff_activated": "{username}",
    "staff_password_reset": "{username}",
    "refused_other_centre": "{action} – bokningen hör till {booking_centre}",
    "refused_unknown": "{action} – ingen bokning med den koden",
    "refused_held_by_other": "{action} – {holder} har tagit bokningen",
    "refused_not_claimed": "{action} – bokningen var inte tagen av hen",
}
