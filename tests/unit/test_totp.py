"""bot/totp.py against RFC 6238's own test vectors, plus drift, replay and malformed codes."""

import base64
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
# RFC 6238 appendix B, the SHA1 rows (8 digits, secret "12345678901234567890", 30-second steps).
RFC_VECTORS = {
    59: "94287082",
    1111111109: "07081804",
    1111111111: "14050471",
    1234567890: "89005924",
    2000000000: "69279037",
    20000000000: "65353130",
}


@pytest.mark.parametrize("unix_time, code", RFC_VECTORS.items())
def test_codes_match_the_rfc_vectors(unix_time, code):
    step = unix_time // totp.STEP_S
    assert totp.code_at(RFC_SECRET, step, digits=8) == code
    # Our codes are six digits: the last six of the RFC's eight.
    assert totp.code_at(RFC_SECRET, step) == code[-6:]
    assert totp.verify(RFC_SECRET, code[-6:], now=unix_time) == step


def test_one_step_of_clock_drift_is_accepted_two_are_not():
    now = 1_700_000_000
    step = now // totp.STEP_S
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, step - 1), now=now) == step - 1
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, step + 1), now=now) == step + 1
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, step - 2), now=now) is None


def test_a_used_code_and_older_ones_are_refused():
    now = 1_700_000_000
    step = now // totp.STEP_S
    code = totp.code_at(RFC_SECRET, step)
    assert totp.verify(RFC_SECRET, code, last_step=step, now=now) is None
    assert (
        totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, step - 1), last_step=step - 1, now=now)
        is None
    )
    assert totp.verify(RFC_SECRET, code, last_step=step - 1, now=now) == step


def test_malformed_codes_are_refused_and_spaces_are_allowed():
    now = 59
    for bad in ("", "28708", "2870822", "28708x", "٢٨٧٠٨٢", "287082\x00"):
        assert totp.verify(RFC_SECRET, bad, now=now) is None
    assert totp.verify(RFC_SECRET, "287 082", now=now) == 1


def test_new_secrets_are_random_and_usable():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(base64.b32decode(first)) == 20
    assert totp.verify(first, totp.code_at(first, 1000), now=1000 * totp.STEP_S) == 1000


def test_the_provisioning_link_names_trygg_chatt_and_the_account():
    secret = totp.new_secret()
    link = urlsplit(totp.provisioning_uri(secret, "anna"))
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    assert (link.scheme, link.netloc, unquote(link.path)) == (
        "otpauth",
        "totp",
        "/Trygg chatt:anna",
    )
    assert query.pop("secret") == secret and query.pop("issuer") == "Trygg chatt"
    # Apps assume SHA1, 6 digits and 30 s when the link leaves them out.
    assert query.get("algorithm", "SHA1") == "SHA1" and query.get("digits", "6") == "6"
    assert query.get("period", "30") == "30"
