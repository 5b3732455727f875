"""`make lint` (scripts/lint.py): tool output parsed into findings, and the baseline that only
shrinks. Pure functions; no tool is run here."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import lint  # noqa: E402
from lint import Change, Finding  # noqa: E402


def ruff_item(filename, code, row, message="msg"):
    return {"filename": filename, "code": code, "location": {"row": row}, "message": message}


def test_ruff_json_becomes_findings_with_paths_relative_to_the_repository(tmp_path):
    output = json.dumps(
        [
            ruff_item(str(tmp_path / "bot" / "a.py"), "E501", 12, "Line too long (120 > 100)"),
            ruff_item(str(tmp_path / "bot" / "a.py"), None, 3, "Expected an expression"),
            ruff_item("scripts/b.py", "F401", 1, "`os` imported but unused"),
        ]
    )
    assert lint.parse_ruff(output, tmp_path) == [
        Finding("bot/a.py", 12, "ruff:E501", "Line too long (120 > 100)"),
        Finding("bot/a.py", 3, "ruff:invalid-syntax", "Expected an expression"),
        Finding("scripts/b.py", 1, "ruff:F401", "`os` imported but unused"),
    ]
    assert lint.parse_ruff("[]", tmp_path) == []


def test_ruff_format_counts_one_finding_per_file(tmp_path):
    output = json.dumps(
        [
            ruff_item(str(tmp_path / "a.py"), "unformatted", 8, "File would be reformatted"),
            ruff_item(str(tmp_path / "a.py"), "unformatted", 40, "File would be reformatted"),
            ruff_item(str(tmp_path / "b.py"), "invalid-syntax", 2, "Expected a parameter"),
        ]
    )
    findings = lint.parse_ruff_format(output, tmp_path)
    assert findings == [
        Finding("a.py", 8, "format", "File would be reformatted"),
        Finding("b.py", 2, "format:invalid-syntax", "Expected a parameter"),
    ]
    assert lint.count(findings) == {"a.py": {"format": 1}, "b.py": {"format:invalid-syntax": 1}}


MYPY_OUTPUT = """\
bot/routes/nlg.py:26: error: Argument 1 to "resolve_language" has incompatible type "Any | None"; expected "Mapping[str, Any]"  [arg-type]
bot/secrets.py:23: error: Incompatible default for argument "env" (default has type "None", argument has type "Mapping[str, str]")  [assignment]
bot/secrets.py:23: note: PEP 484 prohibits implicit Optional. Accordingly, mypy has changed its default to no_implicit_optional=True
bot/places.py:88:17: error: Name "x" is not defined  [name-defined]
bot/broken.py: error: Duplicate module named "broken"
Found 4 errors in 4 files (checked 64 source files)
"""  # noqa: E501


def test_mypy_errors_become_findings_and_notes_are_dropped():
    findings = lint.parse_mypy(MYPY_OUTPUT, ROOT)
    assert [(f.path, f.line, f.key) for f in findings] == [
        ("bot/routes/nlg.py", 26, "mypy:arg-type"),
        ("bot/secrets.py", 23, "mypy:assignment"),
        ("bot/places.py", 88, "mypy:name-defined"),
        ("bot/broken.py", 0, "mypy:error"),
    ]
    assert findings[2].message == 'Name "x" is not defined'
    assert str(findings[2]) == 'bot/places.py:88: name-defined Name "x" is not defined'
    assert lint.parse_mypy("Success: no issues found in 64 source files\n", ROOT) == []


def test_findings_are_counted_per_file_and_rule():
    findings = [
        Finding("a.py", 1, "ruff:E501", ""),
        Finding("a.py", 9, "ruff:E501", ""),
        Finding("a.py", 9, "mypy:arg-type", ""),
        Finding("b.py", 2, "ruff:E501", ""),
    ]
    assert lint.count(findings) == {
        "a.py": {"ruff:E501": 2, "mypy:arg-type": 1},
        "b.py": {"ruff:E501": 1},
    }


def test_a_rule_that_grows_fails_even_when_another_in_the_file_shrinks_as_much():
    baseline = {"a.py": {"ruff:E501": 2, "ruff:F401": 1}}
    current = {"a.py": {"ruff:E501": 3}}
    grown, shrunk = lint.compare(baseline, current)
    assert grown == [Change("a.py", "ruff:E501", 2, 3)]
    assert shrunk == [Change("a.py", "ruff:F401", 1, 0)]


def test_same_counts_on_other_lines_pass():
    baseline = {"a.py": {"ruff:E501": 2}}
    moved_down = lint.count([Finding("a.py", n, "ruff:E501", "") for n in (5, 7)])
    assert lint.compare(baseline, moved_down) == ([], [])


def test_a_moved_file_is_a_new_file_and_its_old_name_is_stale():
    baseline = {"old.py": {"format": 1, "mypy:arg-type": 2}}
    current = {"new.py": {"format": 1, "mypy:arg-type": 2}}
    grown, shrunk = lint.compare(baseline, current)
    assert grown == [Change("new.py", "format", 0, 1), Change("new.py", "mypy:arg-type", 0, 2)]
    assert shrunk == [Change("old.py", "format", 1, 0), Change("old.py", "mypy:arg-type", 2, 0)]


def test_update_only_lowers_and_drops_unless_growth_is_allowed():
    baseline = {
        "a.py": {"ruff:E501": 3, "ruff:F401": 1},
        "gone.py": {"format": 1},
        "same.py": {"mypy:index": 2},
    }
    current = {
        "a.py": {"ruff:E501": 1, "ruff:B905": 4},  # E501 lower, F401 fixed, B905 new
        "same.py": {"mypy:index": 5},  # grew
        "new.py": {"format": 1},
    }
    assert lint.updated(baseline, current) == {
        "a.py": {"ruff:E501": 1},
        "same.py": {"mypy:index": 2},
    }
    assert lint.updated(baseline, current, allow_growth=True) == current
    assert lint.updated({}, {}) == {}


def test_the_baseline_file_round_trips(tmp_path):
    counts = {"b.py": {"ruff:E501": 2}, "a.py": {"format": 1, "mypy:arg-type": 1}}
    path = tmp_path / "baseline.json"
    path.write_text(lint.dump_baseline(counts), encoding="utf-8")
    assert lint.load_baseline(path) == counts
    assert lint.load_baseline(tmp_path / "missing.json") == {}


def test_the_committed_baseline_is_as_the_script_writes_it():
    text = lint.BASELINE.read_text(encoding="utf-8")
    counts = lint.load_baseline(lint.BASELINE)
    assert lint.dump_baseline(counts) == text, "edit it with `make lint-baseline`, not by hand"
    assert all(n > 0 for per_file in counts.values() for n in per_file.values())


def test_growth_report_shows_the_findings_of_the_rule_that_grew_and_how_to_rebaseline():
    findings = [
        Finding("a.py", 12, "ruff:E501", "Line too long (120 > 100)"),
        Finding("a.py", 30, "ruff:F401", "`os` imported but unused"),
    ]
    text = lint.report_growth([Change("a.py", "ruff:E501", 0, 1)], findings, lint.BASELINE)
    assert "a.py:12: E501 Line too long (120 > 100)" in text
    assert "F401" not in text
    assert "--update --allow-growth" in text and "moved or renamed" in text


def test_shrink_report_says_how_to_lower_the_baseline():
    text = lint.report_shrink([Change("a.py", "mypy:arg-type", 3, 1)])
    assert "a.py: mypy:arg-type baseline 3, now 1" in text
    assert "make lint-baseline" in text


@pytest.fixture
def findings_now(monkeypatch):
    """main() with the tools replaced by a fixed list of findings."""
    found = []
    monkeypatch.setattr(lint, "collect", lambda: list(found))
    return found


def test_check_fails_on_more_and_on_fewer_and_passes_on_equal(tmp_path, findings_now, capsys):
    path = tmp_path / "baseline.json"
    path.write_text(lint.dump_baseline({"a.py": {"ruff:E501": 1}}), encoding="utf-8")
    findings_now.append(Finding("a.py", 4, "ruff:E501", "Line too long (101 > 100)"))
    assert lint.main(["--baseline", str(path)]) == 0
    findings_now.append(Finding("a.py", 9, "ruff:E501", "Line too long (130 > 100)"))
    assert lint.main(["--baseline", str(path)]) == 1
    assert "a.py:9: E501 Line too long (130 > 100)" in capsys.readouterr().out
    findings_now.clear()
    assert lint.main(["--baseline", str(path)]) == 1
    assert "make lint-baseline" in capsys.readouterr().out


def test_update_writes_the_lowered_baseline_and_still_fails_on_growth(tmp_path, findings_now):
    path = tmp_path / "baseline.json"
    path.write_text(lint.dump_baseline({"a.py": {"ruff:E501": 3}}), encoding="utf-8")
    findings_now += [Finding("a.py", 1, "ruff:E501", ""), Finding("b.py", 1, "format", "")]
    assert lint.main(["--update", "--baseline", str(path)]) == 1  # b.py is new: not taken in
    assert lint.load_baseline(path) == {"a.py": {"ruff:E501": 1}}
    assert lint.main(["--update", "--allow-growth", "--baseline", str(path)]) == 0
    assert lint.load_baseline(path) == {"a.py": {"ruff:E501": 1}, "b.py": {"format": 1}}
    assert lint.main(["--baseline", str(path)]) == 0


def test_allow_growth_needs_update(findings_now):
    with pytest.raises(SystemExit):
        lint.main(["--allow-growth"])
