"""bot/totp.py against RFC 6238's own test vectors, plus drift, replay and malformed codes."""
import base64

from bot import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
# RFC 6238 appendix B (SHA1), the last six of the eight digits.
VECTORS = {59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924",
           2000000000: "279037", 20000000000: "353130"}


def test_codes_match_the_rfc_vectors():
    for unix_time, code in VECTORS.items():
        assert totp.code_at(RFC_SECRET, unix_time // totp.STEP_S) == code
        assert totp.verify(RFC_SECRET, code, now=unix_time) == unix_time // totp.STEP_S


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
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, step - 1), last_step=step - 1, now=now) is None
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
    assert totp.provisioning_uri(first, "anna").startswith("otpauth://totp/Trygg%20chatt%3Aanna?secret=" + first)
