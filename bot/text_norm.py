"""Text normalisation shared by the lexicon matchers (danger terms and patterns, places, language).

Residents type without diacritics, in Arabic or Persian script with varying letter forms, with
odd spacing. Both the lexicon and the message go through ``fold`` before comparing;
``fold_for_match`` adds the spelling variation that the danger patterns must not depend on.
"""

import re
import unicodedata

_ARABIC_VARIANTS = str.maketrans(
    {
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",  # Arabic/Persian yeh forms
        "ک": "ك",
        "ګ": "ك",  # Persian keheh -> Arabic kaf
        "ة": "ه",
        "ۀ": "ه",  # teh marbuta -> heh
        "ـ": None,  # tatweel
        "\u200c": None,
        "\u200d": None,  # zero-width (non-)joiner, common in Persian
        **{
            d: str(i % 10) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
        },  # Arabic and Persian digits
    }
)
_SPACES = re.compile(r"[\s\u00a0]+")
_PUNCT = re.compile(r"[^\w\s]")
# Persian writes the verb prefix می/نمی joined, with a ZWNJ (removed above) or with a space:
# "می زنه", "میزنه" and "می‌زنه" are one word.
_PERSIAN_MI = re.compile(r"(?<!\S)(ن?مي) (?=[^\W\d_a-z])")
# Arabizi writes Arabic sounds with digits inside Latin words ("ra7", "yi2telni", "3am").
_ARABIZI = re.compile(r"(?<=[a-z])[235679]|[235679](?=[a-z])")
_ARABIZI_LETTERS = {"2": "", "3": "", "5": "kh", "6": "t", "7": "h", "9": "q"}
_REPEATS = re.compile(r"([a-z])\1+")
# English typed without apostrophes: "hes coming" is "he's coming" (fold makes that "he s").
_CONTRACTIONS = {
    "hes": "he s",
    "shes": "she s",
    "im": "i m",
    "theyre": "they re",
    "dont": "don t",
    "cant": "can t",
    "doesnt": "doesn t",
    "didnt": "didn t",
    "wont": "won t",
}


def fold(text: str) -> str:
    """Lowercase, without diacritics or punctuation, Arabic letter variants unified, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    unified = unicodedata.normalize("NFC", stripped).translate(_ARABIC_VARIANTS)
    return _SPACES.sub(" ", _PUNCT.sub(" ", unified)).strip()


def unify_arabic_letters(text: str) -> str:
    """Only the Arabic/Persian letter variants of ``fold`` (ی = ي, ک = ك, ة = ه), nothing else."""
    return text.translate(_ARABIC_VARIANTS)


def fold_for_match(text: str) -> str:
    """``fold``, then spelling variants removed: Persian می joined to its verb, Arabizi digits
    as letters, and doubled Latin letters single ("garaacayaa" = "garacaya", "hadda" = "hada")."""
    folded = _PERSIAN_MI.sub(r"\1", fold(text))
    folded = _ARABIZI.sub(lambda m: _ARABIZI_LETTERS[m.group(0)], folded)
    folded = " ".join(_CONTRACTIONS.get(word, word) for word in folded.split())
    return _REPEATS.sub(r"\1", folded)
