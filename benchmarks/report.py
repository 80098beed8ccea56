"""How every benchmark section reports: measured values with their targets beside them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One figure: what was measured, the target (if any) and whether it was met."""

    name: str
    measured: str
    target: str = ""
    met: bool | None = None


@dataclass
class Section:
    """One of `make bench`'s sections."""

    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, measured: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(name, measured, target, met))

    def render(self) -> str:
        width = max([len(r.name) for r in self.rows] + [20])
        value_width = min(max([len(r.measured) for r in self.rows] + [10]), 24)
        lines = [f"{self.number}. {self.title}", "-" * (len(self.title) + 3)]
        for r in self.rows:
            verdict = "" if r.met is None else ("  MET" if r.met else "  MISSED")
            target = f"  [target {r.target}{verdict}]" if r.target else ""
            lines.append(f"  {r.name:<{width}}  {r.measured:<{value_width}}{target}")
        lines += [f"  * {note}" for note in self.notes]
        return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 is the median of an odd count, p99 the 99th of 100 values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]
