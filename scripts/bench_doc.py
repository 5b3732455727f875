"""Keeps docs/benchmarks.md in step: each benchmark replaces its own marked section."""

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOC.read_text(encoding="utf-8")
    if start not in text:
        raise SystemExit(f"docs/benchmarks.md has no {start} marker")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")


def publish(name: str, table: str, write: bool) -> None:
    """Print a benchmark's table; with ``write``, also put it in its section of the doc."""
    print(table)
    if write:
        replace_section(name, table)
