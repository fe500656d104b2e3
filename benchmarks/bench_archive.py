"""A folder tree of reports at scale: `edition build --source TREE --out OUT`, on one machine
and on a Dask cluster, with the client's memory measured as the tree grows.

Run with the project's Python (the corpus in ../shared/corpus; dask[distributed] installed)::

    .venv/bin/python benchmarks/bench_archive.py [--copies 4 16] [--no-cluster]

1. The issue's walk-through: a tree of the corpus's real PDFs — two under one file name in two
   folders (2013/report.pdf, 2014/report.pdf), the other three in a third folder, and one PDF cut
   off in transfer — built with -j 2, built again (everything cached), and built on a local
   cluster (`dask scheduler` and two `dask worker --nthreads 1` on 127.0.0.1, started here);
   the cluster's files are compared with -j 2's byte for byte, and the manifests' rows apart
   from their times.
2. The client's memory: the corpus copied N times into N folders (5 PDFs each), built with
   -j 2 and on the cluster; the peak resident set of the `edition` process itself — not its
   page workers or the cluster's workers — read from /proc/PID/status (VmHWM) while it runs.

Every build is a whole process with a build cache of its own (so every document is built).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GLOSSARY = ROOT / "glossary" / "institutions.yaml"
BIN = Path(sys.executable).parent
EDITION = str(BIN / "edition")
PDFS = ("crawler-report.pdf", "creditcard-report.pdf", "kunsheng-report.pdf", "mineru-wang-thesis.pdf", "ntust-rules.pdf")


def walkthrough_tree(root: Path) -> Path:
    tree = root / "tree"
    for folder, name in (("2013", "ntust-rules.pdf"), ("2014", "crawler-report.pdf")):
        (tree / folder).mkdir(parents=True)
        shutil.copyfile(CORPUS / name, tree / folder / "report.pdf")
    (tree / "misc").mkdir()
    for name in ("creditcard-report.pdf", "kunsheng-report.pdf", "mineru-wang-thesis.pdf"):
        shutil.copyfile(CORPUS / name, tree / "misc" / name)
    (tree / "corrupt.pdf").write_bytes((CORPUS / "creditcard-report.pdf").read_bytes()[:200_000])
    return tree


def copies_tree(root: Path, n: int) -> Path:
    tree = root / f"tree-{n}x"
    for k in range(1, n + 1):
        (tree / f"copy-{k:02d}").mkdir(parents=True)
        for name in PDFS:
            shutil.copyfile(CORPUS / name, tree / f"copy-{k:02d}" / name)
    return tree


def build(tree: Path, out: Path, *extra: str) -> tuple[float, float, str]:
    """(wall seconds, the edition process's peak RSS in MB, stderr) of one build."""
    cache = out.with_name(out.name + "-cache")
    cmd = [EDITION, "build", "--source", str(tree), "--out", str(out), "--glossary", str(GLOSSARY),
           "--translations", str(out.with_name("tr")), "--cache-dir", str(cache), *extra]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1) or "Traceback" in text:
        sys.exit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{text}")
    return elapsed, peak / 1024, text


def edition_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def rows(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["source"]: {k: v for k, v in r.items() if k not in ("seconds", "finished")} for r in map(json.loads, lines)}


class Cluster:
    """`dask scheduler` and two `dask worker --nthreads 1` on 127.0.0.1, for the benchmark's length."""

    def __init__(self, folder: Path) -> None:
        import distributed

        self.log = (folder / "cluster.log").open("wb")
        self.processes = []
        scheduler_file = folder / "scheduler.json"
        self._start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file))
        while not scheduler_file.is_file():
            time.sleep(0.1)
        self.address = json.loads(scheduler_file.read_text())["address"]
        for name in ("w1", "w2"):
            self._start("worker", self.address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", name)
        with distributed.Client(self.address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)

    def _start(self, *args: str) -> None:
        self.processes.append(subprocess.Popen([str(BIN / "dask"), *args], stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log))

    def close(self) -> None:
        for group in (self.processes[1:], self.processes[:1]):  # the workers first
            for p in group:
                p.terminate()
            for p in group:
                p.wait()
        self.log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="*", default=[4, 16], help="copies of the corpus for the memory measure")
    parser.add_argument("--no-cluster", action="store_true", help="one machine only")
    args = parser.parse_args()
    if not (CORPUS / "ntust-rules.pdf").is_file():
        sys.exit(f"{CORPUS}: the development corpus is not here")
    with tempfile.TemporaryDirectory(prefix="edition-archive-") as tmp:
        root = Path(tmp)
        (root / "tr").mkdir()
        cluster = None if args.no_cluster else Cluster(root)
        try:
            tree = walkthrough_tree(root)
            first = build(tree, root / "out", "-j", "2")
            first_statuses = statuses(root / "out")
            second = build(tree, root / "out", "-j", "2")
            print("walk-through: 2013/report.pdf, 2014/report.pdf, misc/ (3 PDFs), corrupt.pdf")
            print(f"  -j 2, first run            {first[0]:7.2f} s   client peak {first[1]:6.1f} MB")
            print(f"  -j 2, second run           {second[0]:7.2f} s   ({second[0] / first[0]:.1%} of the first)")
            print(f"  statuses (first → second)  {first_statuses} → {statuses(root / 'out')}")
            reference, reference_rows = edition_files(root / "out"), rows(root / "out")
            if cluster is not None:
                on_dask = build(tree, root / "dask", "--scheduler", cluster.address)
                same = edition_files(root / "dask") == reference
                same_rows = {s: {k: v for k, v in r.items() if k != "status"} for s, r in rows(root / "dask").items()} == \
                            {s: {k: v for k, v in r.items() if k != "status"} for s, r in reference_rows.items()}
                print(f"  Dask, 2 workers            {on_dask[0]:7.2f} s   client peak {on_dask[1]:6.1f} MB")
                print(f"  Dask vs -j 2               {len(reference)} files {'byte-identical' if same else 'DIFFER'};"
                      f" manifest rows {'the same' if same_rows else 'DIFFER'} (times and status aside)")
            print()
            print("client memory (peak RSS of the edition process) by the size of the tree")
            for n in args.copies:
                tree_n = copies_tree(root, n)
                local = build(tree_n, root / f"out-{n}x", "-j", "2")
                line = f"  {n:3d}× corpus ({5 * n:4d} PDFs)   -j 2: {local[0]:7.1f} s, {local[1]:6.1f} MB"
                if cluster is not None:
                    remote = build(tree_n, root / f"dask-{n}x", "--scheduler", cluster.address)
                    line += f"   Dask: {remote[0]:7.1f} s, {remote[1]:6.1f} MB"
                print(line, flush=True)
                shutil.rmtree(tree_n)
        finally:
            if cluster is not None:
                cluster.close()
    return 0


def statuses(out: Path) -> str:
    counts: dict[str, int] = {}
    for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        status = json.loads(line)["status"]
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


if __name__ == "__main__":
    sys.exit(main())
