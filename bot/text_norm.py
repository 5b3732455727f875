"""Text normalisation shared by the lexicon matchers (danger terms, places).

Residents type without diacritics, in Arabic or Persian script with varying letter forms, with
odd spacing. Both the lexicon and the message go through ``fold`` before comparing.
"""
import re
import unicodedata

_ARABIC_VARIANTS = str.maketrans({
    "ى": "ي", "ی": "ي", "ې": "ي",  # Arabic/Persian yeh forms
    "ک": "ك", "ګ": "ك",            # Persian keheh -> Arabic kaf
    "ة": "ه", "ۀ": "ه",             # teh marbuta -> heh
    "ـ": None,                      # tatweel
    "\u200c": None, "\u200d": None,  # zero-width (non-)joiner, common in Persian
})
_SPACES = re.compile(r"[\s\u00a0]+")
_PUNCT = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Lowercase, without diacritics or punctuation, Arabic letter variants unified, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    unified = unicodedata.normalize("NFC", stripped).translate(_ARABIC_VARIANTS)
    return _SPACES.sub(" ", _PUNCT.sub(" ", unified)).strip()
