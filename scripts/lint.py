"""`make lint`: ruff (lint and format) and mypy, held to a baseline that only shrinks.

scripts/lint_baseline.json counts the findings that were already there, per file and per
tool/rule ("ruff:E501", "format", "mypy:arg-type"). Counts, not line numbers, so an edit elsewhere
in a file does not break the check. The check fails when a file has
- more findings of a kind than its baseline: the findings are printed (path:line: code message);
- fewer: good, but the baseline must be lowered (`make lint-baseline`) so it never goes stale.

`--update` (make lint-baseline) lowers counts and drops entries, never raises them. With
`--allow-growth` (make lint-baseline ALLOW_GROWTH=1) it records the findings as they are: after
merges, or after a file was moved or renamed (a moved file is a new file with no baseline).
Config: pyproject.toml ([tool.ruff], [tool.mypy]).
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "lint_baseline.json"
ABOUT = (
    "Findings that were already there, per file and tool/rule. It only shrinks: "
    "`make lint-baseline` lowers it; see scripts/lint.py."
)
Counts = Dict[str, Dict[str, int]]  # path -> key ("ruff:E501", "format", "mypy:arg-type") -> n


class Finding(NamedTuple):
    path: str  # relative to the repository, with /
    line: int  # 0 when the tool gives none
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key.split(':', 1)[-1]} {self.message}"


class Change(NamedTuple):
    path: str
    key: str
    baseline: int
    now: int


def relative(filename: str, root: Path) -> str:
    path = Path(filename)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            pass
    return path.as_posix()


def parse_ruff(output: str, root: Path) -> List[Finding]:
    """`ruff check --output-format json`; a syntax error has code "invalid-syntax" (or none)."""
    return [
        Finding(
            relative(item["filename"], root),
            (item.get("location") or {}).get("row") or 0,
            "ruff:" + (item.get("code") or "invalid-syntax"),
            item.get("message", ""),
        )
        for item in json.loads(output or "[]")
    ]


def parse_ruff_format(output: str, root: Path) -> List[Finding]:
    """`ruff format --check --output-format json`: one finding per file that would be reformatted
    (key "format"), or that cannot be parsed (key "format:invalid-syntax")."""
    findings: Dict[Tuple[str, str], Finding] = {}
    for item in json.loads(output or "[]"):
        code = item.get("code") or "invalid-syntax"
        key = "format" if code == "unformatted" else "format:" + code
        path = relative(item["filename"], root)
        line = (item.get("location") or {}).get("row") or 0
        findings.setdefault((path, key), Finding(path, line, key, item.get("message", "")))
    return list(findings.values())


_MYPY = re.compile(
    r"^(?P<path>[^:\s][^:]*?):(?:(?P<line>\d+):)?(?:\d+:)? error: (?P<message>.*?)"
    r"(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)


def parse_mypy(output: str, root: Path) -> List[Finding]:
    """mypy's text output (--no-pretty --no-error-summary): `path:line: error: message  [code]`.
    Notes are dropped; they belong to the error above them."""
    findings = []
    for text in output.splitlines():
        match = _MYPY.match(text.rstrip())
        if match:
            findings.append(
                Finding(
                    relative(match["path"], root),
                    int(match["line"] or 0),
                    "mypy:" + (match["code"] or "error"),
                    match["message"],
                )
            )
    return findings


def count(findings: Iterable[Finding]) -> Counts:
    counts: Counts = {}
    for finding in findings:
        per_file = counts.setdefault(finding.path, {})
        per_file[finding.key] = per_file.get(finding.key, 0) + 1
    return counts


def compare(baseline: Counts, current: Counts) -> Tuple[List[Change], List[Change]]:
    """(grown, shrunk): every (file, key) with more, and with fewer, findings than its baseline.
    A file missing from the baseline (new, moved or renamed) has a baseline of zero."""
    grown, shrunk = [], []
    for path in sorted(set(baseline) | set(current)):
        was, now = baseline.get(path, {}), current.get(path, {})
        for key in sorted(set(was) | set(now)):
            change = Change(path, key, was.get(key, 0), now.get(key, 0))
            if change.now > change.baseline:
                grown.append(change)
            elif change.now < change.baseline:
                shrunk.append(change)
    return grown, shrunk


def updated(baseline: Counts, current: Counts, allow_growth: bool = False) -> Counts:
    """The new baseline: each count lowered to what is found now (entries at zero dropped);
    raised, and new files added, only with allow_growth."""
    result: Counts = {}
    for path in sorted(set(baseline) | set(current)):
        was, now = baseline.get(path, {}), current.get(path, {})
        per_file = {}
        for key in sorted(set(was) | set(now)):
            n = now.get(key, 0) if allow_growth else min(was.get(key, 0), now.get(key, 0))
            if n:
                per_file[key] = n
        if per_file:
            result[path] = per_file
    return result


def load_baseline(path: Path) -> Counts:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def dump_baseline(counts: Counts) -> str:
    return json.dumps({"about": ABOUT, "files": counts}, indent=1, sort_keys=True) + "\n"


def report_growth(grown: Sequence[Change], findings: Sequence[Finding], baseline: Path) -> str:
    name = relative(str(baseline), ROOT)
    lines = [f"lint: new findings ({len(grown)} file/rule pairs above {name}):"]
    for change in grown:
        lines.append(f"  {change.path}: {change.key} baseline {change.baseline}, now {change.now}")
        lines += [
            f"    {finding}"
            for finding in findings
            if finding.path == change.path and finding.key == change.key
        ]
    lines += [
        "The baseline counts per file, so all findings of that rule in the file are shown.",
        'Fix the new ones: the baseline only shrinks (`ruff format FILE` for "format",',
        "only on files you are changing anyway). If a file was moved or renamed, its findings",
        "count as new under the new name: re-baseline with `make lint-baseline ALLOW_GROWTH=1`",
        "(scripts/lint.py --update --allow-growth) and say why in the commit message.",
    ]
    return "\n".join(lines)


def report_shrink(shrunk: Sequence[Change]) -> str:
    lines = [f"lint: fewer findings than the baseline in {len(shrunk)} file/rule pairs (good):"]
    lines += [f"  {c.path}: {c.key} baseline {c.baseline}, now {c.now}" for c in shrunk]
    lines.append(
        "Lower the baseline so they stay fixed: `make lint-baseline` "
        "(scripts/lint.py --update), then commit scripts/lint_baseline.json."
    )
    return "\n".join(lines)


def summary(findings: Sequence[Finding]) -> str:
    def of(prefix: str) -> List[Finding]:
        return [f for f in findings if f.key == prefix or f.key.startswith(prefix + ":")]

    ruff, fmt, mypy = of("ruff"), of("format"), of("mypy")
    return (
        f"lint: ruff {len(ruff)} findings in {len({f.path for f in ruff})} files, "
        f"{len(fmt)} files need `ruff format`, "
        f"mypy {len(mypy)} errors in {len({f.path for f in mypy})} files"
    )


def run(command: List[str], ok: Sequence[int] = (0, 1)) -> str:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in ok:
        sys.exit(
            f"lint: `{' '.join(command[2:])}` failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def collect() -> List[Finding]:
    py = [sys.executable, "-m"]
    ruff = run(py + ["ruff", "check", "--output-format", "json", "--exit-zero", "."])
    # Exit 2 with JSON on stdout means a file cannot be parsed; it is a finding too.
    fmt = run(py + ["ruff", "format", "--check", "--output-format", "json", "."], ok=(0, 1, 2))
    mypy = run(py + ["mypy", "--no-pretty", "--no-error-summary", "--no-color-output"])
    return parse_ruff(ruff, ROOT) + parse_ruff_format(fmt, ROOT) + parse_mypy(mypy, ROOT)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="lower the baseline to what is found")
    parser.add_argument(
        "--allow-growth", action="store_true", help="with --update: also raise it and add new files"
    )
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    args = parser.parse_args(argv)
    if args.allow_growth and not args.update:
        parser.error("--allow-growth goes with --update")

    findings = collect()
    print(summary(findings))
    baseline, current = load_baseline(args.baseline), count(findings)
    grown, shrunk = compare(baseline, current)

    if args.update:
        new = updated(baseline, current, allow_growth=args.allow_growth)
        if new != baseline:
            args.baseline.write_text(dump_baseline(new), encoding="utf-8")
            lowered = "rewritten to the counts found now" if args.allow_growth else "lowered"
            print(f"lint: {relative(str(args.baseline), ROOT)} {lowered}; commit it.")
        else:
            print("lint: baseline unchanged.")
        if grown and not args.allow_growth:
            print(report_growth(grown, findings, args.baseline))
            return 1
        return 0

    if grown:
        print(report_growth(grown, findings, args.baseline))
    if shrunk:
        print(report_shrink(shrunk))
    if not grown and not shrunk:
        print("lint: OK (no more, no fewer findings than the baseline)")
    return 1 if grown or shrunk else 0


if __name__ == "__main__":
    sys.exit(main())
