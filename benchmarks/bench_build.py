"""How fast is `edition build`, measured against raw pdfplumber on the same PDF.

Run from anywhere with the project's Python (`make bench`)::

    .venv/bin/python benchmarks/bench_build.py

Every step is a whole process, timed by wall clock from start to exit, in three rounds of all
five steps; the table shows the median. The baseline (a) is a process too, so interpreter start
and imports count on both sides of each ratio. Peak memory is the largest resident set of the
step's process tree as ``wait4`` reports it (page workers included; the largest single
process, not a sum). Exit 1 if a target is missed.

    (a) pdfplumber alone: open the report PDF, extract_text() on every page, one process
    (b) edition build --no-cache of the report PDF (extract, glossary, translate, render, write)
    (c) edition build again, nothing changed: the cache answers
    (d) edition build --no-cache of the text export
    (e) edition lookup, as a whole command, for each kind of query people type: an
        abbreviation, a Simplified name (OpenCC's character table is loaded), the start of an
        English name, a typo (difflib over every form), and --json of a partial query (every
        match, each with where the report mentions it)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
TXT = ROOT / "source_docs" / "hokkaido-report.txt"
# the `edition` script of the interpreter running this file (the project's venv)
EDITION = str(Path(sys.executable).with_name("edition"))
REPEAT = 3

RAW_PDFPLUMBER = f"""
import pdfplumber
with pdfplumber.open({str(PDF)!r}) as pdf:
    for page in pdf.pages:
        page.extract_text()
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process; stop the benchmark if it fails."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: nothing can block on a full pipe
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        # wait4, not wait: it also gives the child's resource use (its own children included)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode('utf-8', 'replace')}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        out_pdf, out_txt = Path(tmp, "pdf"), Path(tmp, "txt")
        steps = {
            "a": ("pdfplumber extract_text, every page", [sys.executable, "-c", RAW_PDFPLUMBER]),
            "b": ("edition build --no-cache (PDF)", [EDITION, "build", "--source", str(PDF), "--out", str(out_pdf), "--no-cache"]),
            "c": ("edition build, warm (cached)", [EDITION, "build", "--source", str(PDF), "--out", str(out_pdf)]),
            "d": ("edition build --no-cache (text export)", [EDITION, "build", "--source", str(TXT), "--out", str(out_txt), "--no-cache"]),
            "e": ("edition lookup AIST", [EDITION, "lookup", "AIST"]),
            "e2": ("edition lookup 产业技术综合研究所", [EDITION, "lookup", "产业技术综合研究所"]),
            "e3": ("edition lookup 'Hokkaido Univ'", [EDITION, "lookup", "Hokkaido Univ"]),
            "e4": ("edition lookup 'Hokaido Univercity'", [EDITION, "lookup", "Hokaido Univercity"]),
            "e5": ("edition lookup 北海道 --json", [EDITION, "lookup", "北海道", "--json"]),
        }
        run(steps["c"][1])  # fill the cache: (b) runs with --no-cache, which neither reads nor writes it
        # rounds of every step rather than each step three times in a row: a machine busy with
        # other work for a while then slows every step alike, and the ratios stay fair
        runs: dict[str, list[tuple[float, float]]] = {key: [] for key in steps}
        for _ in range(REPEAT):
            for key, (_, cmd) in steps.items():
                runs[key].append(run(cmd))

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"edition build benchmark — {PDF.name}, {os.cpu_count()} CPU(s), load {load}, Python {sys.version.split()[0]}, median of {REPEAT}")
    print()
    print(f"{'step':<45} {'median s':>9}  {'runs s':<20} {'peak MB':>8}")
    median = {}
    for key, (label, _) in steps.items():
        times = [s for s, _ in runs[key]]
        median[key] = statistics.median(times)
        peak = max(m for _, m in runs[key])
        print(f"{'(' + key + ')':<4} {label:<40} {median[key]:>9.3f}  {' '.join(f'{s:.2f}' for s in times):<20} {peak:>8.0f}")
    a, b, c, d = (median[k] for k in "abcd")
    e = max(median[k] for k in median if k.startswith("e"))
    checks = [
        ("b/a  full PDF build vs pdfplumber", b / a, "≤ 1.00", b / a <= 1.0),
        ("c/a  warm build vs pdfplumber", c / a, "≤ 0.15", c / a <= 0.15),
        ("d    text-export build, s", d, "< 1.00", d < 1.0),
        ("e    slowest lookup, s", e, "< 0.30", e < 0.3),
    ]
    print()
    print(f"{'target':<36} {'value':>7}  {'goal':<7} result")
    for label, value, goal, ok in checks:
        print(f"{label:<36} {value:>7.3f}  {goal:<7} {'PASS' if ok else 'MISS'}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
