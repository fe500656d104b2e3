"""The reader's figures, each against raw pdfplumber measured in the same run.

    .venv/bin/python benchmarks/bench_reader.py [--runs 5] [--corpus ../shared/corpus]

Timed steps run pinned to one core (``taskset -c 0``, where it exists), so the ratios hold on any
machine: both sides of a ratio get the same single core, and the runs of the two alternate
(a b a b …), so a machine busy for a while slows both alike; the median of the runs counts.
Every step is a whole process (interpreter start and imports count on both sides).

    (a)  pdfplumber extract_text of every page of the report, one process
    (b)  edition build --no-cache of the report (extract, glossary, translate, pictures, render, write)
    (c)  pdfplumber extract_text over the report and every PDF of the corpus, summed
    (d)  edition extract of the same files, summed
    (m)  edition extract of the report eight times over (824 pages, made with pypdf): peak memory
         summed over its processes (each process's own peak, added up), not pinned
    (j)  edition build --no-cache of the corpus with -j 1 and with -j 2, not pinned (needs 2 cores)

Exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
EDITION = str(Path(sys.executable).with_name("edition"))
PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []
RAW = "import sys, pdfplumber\nfor p in sys.argv[1:]:\n    with pdfplumber.open(p) as pdf:\n        [page.extract_text() for page in pdf.pages]\n"


def timed(cmd: list[str]) -> float:
    """Wall seconds of one process (stops the benchmark if it fails)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    return time.perf_counter() - start


def alternate(a: list[list[str]], b: list[list[str]], runs: int) -> tuple[list[float], list[float]]:
    """``runs`` rounds of (all of a, all of b), each side's commands summed per round."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(sum(timed(PIN + c) for c in a))
        tb.append(sum(timed(PIN + c) for c in b))
    return ta, tb


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def peak_memory(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, MiB: every process's own peak resident set added up, processes) of a command,
    its process tree sampled every 10 ms (Linux /proc)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        todo = [proc.pid]
        while todo:
            pid = todo.pop()
            todo += _children(pid)
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
            except OSError:
                pass
        time.sleep(0.01)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - start, sum(peaks.values()) / 1024, len(peaks)


def loops() -> str:
    """Which per-character loops the installed package runs: C (built with it) or Python."""
    code = "from edition.reading import pdfium; print('C' if pdfium._native else 'Python (no C part built)')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args()
    corpus = sorted(args.corpus.glob("*.pdf")) if args.corpus.is_dir() else []
    pdfs = [PDF, *corpus]
    # the package's bytecode, as an installed package has it (pip compiles what it installs;
    # an editable checkout under PYTHONDONTWRITEBYTECODE would compile every module on every run,
    # a cost pdfplumber's side, installed from a wheel, does not pay)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        t = Path(tmp)
        build = [EDITION, "build", "--source", str(PDF), "--out", str(t / "out"), "--no-cache"]
        a, b = alternate([[sys.executable, "-c", RAW, str(PDF)]], [build], args.runs)
        results.append(("b/a  report: edition build --no-cache / pdfplumber", a, b, 0.35))
        extracts = [[EDITION, "extract", str(p), "-o", str(t / f"{p.stem}.json")] for p in pdfs]
        c, d = alternate([[sys.executable, "-c", RAW, *map(str, pdfs)]], extracts, args.runs)
        results.append((f"d/c  {len(pdfs)} PDFs: edition extract / pdfplumber", c, d, 0.40))

        import pypdf

        eight = t / "eight.pdf"
        writer = pypdf.PdfWriter()
        for _ in range(8):
            writer.append(str(PDF))
        writer.write(str(eight))
        mem_s, mem_mib, procs = peak_memory([EDITION, "extract", str(eight), "-o", str(t / "eight.json")])

        jobs: dict[int, list[float]] = {1: [], 2: []}
        if corpus:
            folder = t / "corpus"
            folder.mkdir()
            for p in corpus:
                (folder / p.name).symlink_to(p)
            for _ in range(max(1, args.runs // 2)):
                for j in (1, 2):
                    jobs[j].append(timed([EDITION, "build", "--source", str(folder), "--out", str(t / f"c{j}"), "--translations",
                                          str(t / "none"), "--glossary", str(ROOT / "glossary"), "--no-cache", "-j", str(j)]))

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"reader benchmark — {os.cpu_count()} CPU(s), load {load}, Python {sys.version.split()[0]}, "
          f"pinned: {' '.join(PIN) or 'no (taskset missing)'}, median of {args.runs}, loops: {loops()}")
    print()
    print(f"{'ratio':<52} {'side A s':>9} {'side B s':>9} {'B/A':>6}  {'goal':<7} result")
    ok = True
    for label, sa, sb, goal in results:
        ma, mb = statistics.median(sa), statistics.median(sb)
        good = mb / ma <= goal
        ok &= good
        print(f"{label:<52} {ma:>9.3f} {mb:>9.3f} {mb / ma:>6.3f}  ≤ {goal:<5} {'PASS' if good else 'MISS'}")
    good = mem_mib <= 200
    ok &= good
    print(f"{'m    824 pages: edition extract, MiB over ' + str(procs) + ' processes':<52} {'':>9} {mem_s:>8.2f}s {mem_mib:>6.0f}  ≤ 200   "
          f"{'PASS' if good else 'MISS'}")
    if jobs[1]:
        m1, m2 = statistics.median(jobs[1]), statistics.median(jobs[2])
        print(f"{'j    corpus build: -j 2 / -j 1':<52} {m1:>9.3f} {m2:>9.3f} {m2 / m1:>6.3f}  ideal 0.5")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
