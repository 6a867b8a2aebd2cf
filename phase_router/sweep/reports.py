"""What a CI job reads after a sweep: JUnit XML and a Markdown job summary (docs/CI.md).

JUnit: one suite `<name>.cells` with a test case per cell (it fails when its routes differ from
the golden file, or have no golden digest), and one suite `<name>.expectations` with a test case
per `expect:` entry (its failure lists every failing cell or setting with the figure). The file
follows the Ant/Jenkins JUnit format that Jenkins, GitLab, GitHub test-report actions and Azure
read; tests/data/junit.xsd is the schema the tests validate it against.
"""

from __future__ import annotations

import datetime
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Optional

from .expectations import Verdict, failure_lines as expectation_lines, record_label
from .golden import GoldenReport, failure_lines as golden_lines


@dataclass(frozen=True)
class Checks:
    """The verdict of a sweep run: its expectations and (when asked) its golden comparison."""

    name: str
    records: list[dict]
    verdicts: list[Verdict]
    golden: Optional[GoldenReport] = None

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts) and (self.golden is None or self.golden.passed)

    def failure_lines(self, limit: Optional[int] = 20) -> list[str]:
        return expectation_lines(self.verdicts, limit) + (golden_lines(self.golden) if self.golden else [])


def collect_checks(config, records: list[dict], golden_path=None) -> Checks:
    """Evaluate `config.expect` on the records and, given a golden file, compare the digests."""
    from .expectations import evaluate
    from .golden import check_golden

    golden = check_golden(golden_path, records) if golden_path is not None else None
    return Checks(config.name or "sweep", records, evaluate(list(config.expect), records), golden)


def _seconds(record: dict) -> str:
    t = record.get("timings", {})
    ms = t.get("generate_ms", 0.0) + t.get("metrics_ms", 0.0) + t.get("route_ms_median", 0.0) * record.get("repetitions", 1)
    return f"{ms / 1e3:.6f}"


def junit_xml(checks: Checks) -> bytes:
    suites = ET.Element("testsuites", name=f"phase-router sweep {checks.name}")
    stamp = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
    host = socket.gethostname() or "localhost"

    cells = []
    for r in checks.records:
        case = ET.Element("testcase", classname=f"sweep.{checks.name}.cells",
                          name=f"{record_label(r)} [{r['cell_id']}]", time=_seconds(r))
        status = checks.golden.status(r["cell_id"]) if checks.golden is not None else "same"
        if status == "changed":
            old = next(o for rec, o in checks.golden.changed if rec["cell_id"] == r["cell_id"])  # type: ignore[union-attr]
            failure = ET.SubElement(case, "failure", message=f"routes changed: sha256 {r['routes_sha256']} now, "
                                                             f"{old} recorded", type="golden")
            failure.text = f"golden file: {checks.golden.path}\nrecorded: {old}\nnow:      {r['routes_sha256']}\n"  # type: ignore[union-attr]
        elif status == "unrecorded":
            failure = ET.SubElement(case, "failure", message="no recorded golden digest for this cell", type="golden")
            failure.text = f"golden file: {checks.golden.path}\nre-record with --record-golden if the grid changed on purpose\n"  # type: ignore[union-attr]
        cells.append(case)
    suites.append(_suite(f"{checks.name}.cells", cells, stamp, host))

    expected = []
    for verdict in checks.verdicts:
        case = ET.Element("testcase", classname=f"sweep.{checks.name}.expectations", name=verdict.title, time="0")
        failures = verdict.failures
        if failures:
            first = failures[0]
            failure = ET.SubElement(case, "failure", type="expectation",
                                    message=f"{len(failures)} of {len(verdict.units)} checked fail; "
                                            f"first: {first.label}: {verdict.figure(first)}")
            failure.text = "\n".join(f"{u.label}: {verdict.figure(u)} (cell {', '.join(u.cell_ids)})"
                                     for u in failures) + "\n"
        expected.append(case)
    if expected:
        suites.append(_suite(f"{checks.name}.expectations", expected, stamp, host))

    suites.set("tests", str(sum(int(s.get("tests", "0")) for s in suites)))
    suites.set("failures", str(sum(int(s.get("failures", "0")) for s in suites)))
    suites.set("errors", "0")
    suites.set("time", f"{sum(float(s.get('time', '0')) for s in suites):.6f}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"


def _suite(name: str, cases: list[ET.Element], stamp: str, host: str) -> ET.Element:
    failures = sum(1 for c in cases if c.find("failure") is not None)
    suite = ET.Element("testsuite", name=name, tests=str(len(cases)), failures=str(failures), errors="0",
                       skipped="0", time=f"{sum(float(c.get('time', '0')) for c in cases):.6f}",
                       timestamp=stamp, hostname=host)
    suite.extend(cases)
    return suite


def markdown_summary(checks: Checks, summary_table: str = "") -> str:
    """A CI job summary: the verdict first, then each expectation, golden changes, the results table."""
    verdict = "passed" if checks.passed else "FAILED"
    lines = [f"## phase-router sweep `{checks.name}`: {verdict}", "",
             f"{len(checks.records)} cells; {len(checks.verdicts)} expectation"
             f"{'s' if len(checks.verdicts) != 1 else ''}, "
             f"{sum(not v.passed for v in checks.verdicts)} failing"]
    if checks.golden is not None:
        g = checks.golden
        lines[-1] += (f"; golden digests: {len(g.matched)} same, {len(g.changed)} changed, "
                      f"{len(g.unrecorded)} not recorded")
        if g.stale:
            lines[-1] += f" ({len(g.stale)} recorded cells are not in this grid)"
    lines[-1] += "."
    if checks.verdicts:
        lines += ["", "| | expectation | checked | failing | worst figure |", "|---|---|---:|---:|---|"]
        for v in checks.verdicts:
            worst = _worst(v)
            lines.append(f"| {'✅' if v.passed else '❌'} | {_cell(v.title)} | {len(v.units)} | {len(v.failures)} | "
                         f"{_cell(worst)} |")
    failing = checks.failure_lines(limit=20)
    if failing:
        lines += ["", "### Failures", ""] + [f"- {_cell(line)}" for line in failing]
    if summary_table:
        lines += ["", "<details><summary>Results by setting</summary>", "", summary_table.strip(), "", "</details>"]
    return "\n".join(lines) + "\n"


def _worst(v: Verdict) -> str:
    """The unit furthest past (or closest to) the bound, with its figure."""
    if not v.units:
        return "—"
    e = v.expectation

    def margin(u) -> float:  # negative when inside the bound; the largest is the worst
        out = []
        if e.max is not None:
            out.append(u.value - e.max)
        if e.min is not None:
            out.append(e.min - u.value)
        return max(out)

    unit = max(v.units, key=margin)
    return f"{v.figure(unit)} ({unit.label})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
