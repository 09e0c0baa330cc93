"""A system at the largest scale: the dashboard, the reports, ``check`` and the backup on 100 branches.

    python bench/scale.py --instance PATH [--batch-fraction 1.0] [--period 2026-Q3]

``PATH`` is an instance seeded with ``seed-demo --branches 100 --desks 400
--staff 1000 --responses 1000000 --years 3`` (a few minutes; the benchmark
does not seed it, so that it can be run more than once on the same data).
The baseline, measured in the same run, is the three-branch demo
(``seed-demo``, 5,000 responses), which the benchmark seeds itself.

Figures, each for the large system and the baseline beside it:

* the dashboard of a manager's two branches and of every branch, for the last
  month and this year: with no figures kept anywhere yet (after an upgrade),
  the first view of a new worker (closed months' roll-ups kept on disk), and
  the next view;
* one staff report (figures, HTML and PDF), median of three;
* the batch, as a manager starts it from the Reports page: the batch is
  recorded and queued (``request_report_batch``) and the background worker
  (``flask --app wsgi worker``, started here as a process of its own) makes it
  with its render processes, writing progress into the store, which is read
  here every half second; peak memory is that of the worker and its render
  processes together, sampled as it runs. ``--batch-fraction`` asks for that
  share of the branches (each branch's staff and branch reports, no board
  report) and extrapolates linearly, which overstates: the system's figures
  are computed once per batch whatever its size;
* one report from the command line (``flask --app wsgi report staff CODE``),
  process start included (bytecode cached, as installed), median of five,
  in turns with the start of ``python -c pass`` and ``flask --app wsgi --help``;
* ``check`` (every data file parsed) and the daily backup (the first backup
  copies everything; the next, the daily one, links what did not change).

Note the machine's load (printed) beside the figures: the cores are shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _app(instance: Path):
    from feedback import create_app

    return create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench", "BACKUP_INTERVAL_HOURS": 0,
                       "RATELIMIT_ENABLED": False})


def _clear_figure_caches() -> None:
    """What a fresh worker process starts with: no figures in memory (closed months' roll-ups stay on disk)."""
    from feedback.evidence import cells

    cells._cache.clear()
    cells._rollups.clear()


def measure(instance: Path, period_label: str, batch_fraction: float, log=print) -> dict[str, object]:
    from feedback.pdf import PdfRenderer
    from feedback.reports import documents
    from feedback.services.dashboard import Scope, build_dashboard
    from feedback.services.periods import current_period, parse_period

    app = _app(instance)
    store = app.extensions["feedback_store"]
    figures: dict[str, object] = {}
    with app.test_request_context():
        branches = tuple(store.directory.branches())
        month, year = current_period("month").previous(), current_period("year")
        for scope_label, scope_branches in (("a manager's 2 branches", branches[:2]), ("all branches", branches)):
            for label, period in ((f"dashboard, {scope_label}, last month", month),
                                  (f"dashboard, {scope_label}, this year", year)):
                # Nothing kept anywhere (the first view after an upgrade, or ever): every month is worked out.
                shutil.rmtree(store.figure_cache.root, ignore_errors=True)
                _clear_figure_caches()
                store.cache.clear()
                nothing_kept, _ = _timed(lambda p=period, b=scope_branches: build_dashboard(store, Scope(b, p)))
                # A new web worker: closed months' roll-ups on disk, nothing in memory.
                _clear_figure_caches()
                store.cache.clear()
                cold, _ = _timed(lambda p=period, b=scope_branches: build_dashboard(store, Scope(b, p)))
                warm, _ = _timed(lambda p=period, b=scope_branches: build_dashboard(store, Scope(b, p)))
                figures[f"{label} (nothing kept yet)"] = nothing_kept
                figures[f"{label} (first view)"] = cold
                figures[f"{label} (next view)"] = warm
                log(f"  {label}: nothing kept {nothing_kept:.2f} s, first view of a worker {cold:.2f} s, "
                    f"next {warm:.2f} s")
        figures["dashboards: peak RSS of this process, MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        period = parse_period(period_label)
        pool = PdfRenderer(workers=2)
        pool.warm_up()
        member = store.directory.staff(branches[0].slug)[0]

        def staff_pdf():
            html = documents.staff_report_html(store, member.code, period)
            return next(pool.render_many([documents.PdfJob(html, name="staff")]))[1]

        staff_pdf()  # the first report fills the system's figures once
        times = [_timed(staff_pdf)[0] for _ in range(3)]
        html_times = [_timed(lambda: documents.staff_report_html(store, member.code, period))[0] for _ in range(3)]
        figures["one staff report (figures + PDF), warm"] = statistics.median(times)
        figures["  of which figures + HTML"] = statistics.median(html_times)
        log(f"  one staff report: {statistics.median(times):.2f} s "
            f"(figures + HTML {statistics.median(html_times):.2f} s)")

        pool.close()
        figures["staff code (for the command line)"] = member.code

    store.cache.clear()
    figures["check (parse every file)"], problems = _timed(store.corrupt_files)
    figures["check: corrupt files"] = len(problems)
    log(f"  check: {figures['check (parse every file)']:.1f} s")
    backups = instance / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    now = datetime.now(UTC)
    figures["first backup (copies everything)"], _ = _timed(lambda: store.backups.take(now=now - timedelta(days=1)))
    figures["daily backup (links unchanged files)"], _ = _timed(lambda: store.backups.take(now=now))
    shutil.rmtree(backups, ignore_errors=True)
    log(f"  backups: first {figures['first backup (copies everything)']:.1f} s, "
        f"daily {figures['daily backup (links unchanged files)']:.1f} s")
    figures["data files"] = sum(1 for _ in store.stored_files())
    figures["responses"] = store.responses.count()
    return figures


def _first_staff_code(instance: Path) -> str:
    app = _app(instance)
    store = app.extensions["feedback_store"]
    return store.directory.staff(store.directory.branches()[0].slug)[0].code


GOALS = {
    "dashboard, a manager's 2 branches, last month (first view)": "< 0.3 s",
    "dashboard, a manager's 2 branches, last month (next view)": "< 0.3 s",
    "dashboard, a manager's 2 branches, this year (first view)": "< 1 s",
    "dashboard, a manager's 2 branches, this year (next view)": "< 1 s",
    "dashboard, all branches, last month (first view)": "< 0.3 s",
    "dashboard, all branches, last month (next view)": "< 0.3 s",
    "dashboard, all branches, this year (first view)": "< 1 s",
    "dashboard, all branches, this year (next view)": "< 1 s",
    "one staff report (figures + PDF), warm": "< 0.5 s",
    "batch: seconds for all (extrapolated)": "< 900 s",
    "batch: peak RSS, worker + render processes, MB": "< 1024",
    "CLI: report staff CODE (wall, process start included)": "< 1.2 s (demo)",
    "check (parse every file)": "< 60 s",
    "daily backup (links unchanged files)": "< 60 s",
}


# -- the batch, through the background worker ------------------------------------------------------------------
def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (the worker's render processes), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _MemorySampler(threading.Thread):
    """Samples the resident memory of a process tree every quarter second: the peak of the sum, and of each."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total = self.peak_root = self.peak_child = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            sizes = {pid: _rss_mb(pid) for pid in _descendants(self.pid)}
            self.peak_total = max(self.peak_total, sum(sizes.values()))
            self.peak_root = max(self.peak_root, sizes.get(self.pid, 0.0))
            self.peak_child = max([self.peak_child, *(v for k, v in sizes.items() if k != self.pid)])


def measure_batch(instance: Path, period_label: str, batch_fraction: float, log=print) -> dict[str, object]:
    """The batch a manager starts, made by the background worker, as in production; progress read from the store."""
    from feedback.model import User
    from feedback.services.periods import parse_period
    from feedback.services.report_batches import request_report_batch

    app = _app(instance)
    store = app.extensions["feedback_store"]
    branches = store.directory.branches()
    chosen = [b.slug for b in branches[:max(1, round(len(branches) * batch_fraction))]]
    total_reports = 1 + sum(len(store.directory.staff(b.slug)) + 1 for b in branches)
    env = dict(os.environ, FEEDBACK_INSTANCE=str(instance), FEEDBACK_BACKUP_INTERVAL_HOURS="0")
    worker_log = tempfile.TemporaryFile()
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                              stdout=worker_log, stderr=subprocess.STDOUT)
    figures: dict[str, object] = {}
    try:
        time.sleep(3.0)  # the worker starts (imports, app) before the manager presses the button
        sampler = _MemorySampler(worker.pid)
        sampler.start()
        admin = User(id="bench-admin", email="bench@example.org", password_hash="", role="admin")
        with app.test_request_context():
            batch = request_report_batch(store, app.extensions["feedback_jobs"], user=admin,
                                         period=parse_period(period_label), branches=chosen, language="en")
        started = time.perf_counter()
        said = 0.0
        while True:
            time.sleep(0.5)
            current = store.report_batches.get(batch.id)
            elapsed = time.perf_counter() - started
            if current.status in ("done", "failed") or worker.poll() is not None:
                break
            if elapsed - said >= 30:
                said = elapsed
                log(f"    batch: {current.done} of {current.total} in {elapsed:.0f} s")
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    shutil.rmtree(instance / "batches" / batch.id, ignore_errors=True)  # its 1,100 PDFs: measured, not kept
    if current.status != "done":
        worker_log.seek(0)
        log(worker_log.read().decode(errors="replace")[-3000:])
        raise SystemExit(f"the batch ended {current.status}: {current.failures}")
    figures["batch: reports rendered"] = current.done
    figures["batch: failures"] = len(current.failures)
    figures["batch: seconds"] = seconds
    figures["batch: seconds for all (extrapolated)"] = (seconds if current.done >= total_reports
                                                         else seconds * total_reports / max(1, current.done))
    figures["batch: peak RSS, worker + render processes, MB"] = sampler.peak_total
    figures["batch:   of which the worker, MB"] = sampler.peak_root
    figures["batch:   largest render process, MB"] = sampler.peak_child
    log(f"  batch: {current.done} of {total_reports} reports in {seconds:.0f} s, peak {sampler.peak_total:.0f} MB")
    return figures


# -- one report from the command line -----------------------------------------------------------------------
def _walls(commands: dict[str, list[str]], env: dict, repeat: int = 5) -> dict[str, float]:
    """The median wall time of each command, run in turns (a load that comes and goes hits each alike)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, args in commands.items():
            started = time.perf_counter()
            subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def measure_cli(instance: Path, code: str, period_label: str) -> dict[str, object]:
    """One report from the command line, as an installation runs it: with its modules' bytecode cached.

    One run first, allowed to write the bytecode cache (a machine may forbid it with
    PYTHONDONTWRITEBYTECODE, which would make every start compile the whole package).
    """
    env = dict(os.environ, FEEDBACK_INSTANCE=str(instance))
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    with tempfile.TemporaryDirectory() as out:
        report = [*flask, "report", "staff", code, "--period", period_label, "--out", f"{out}/x.pdf"]
        first_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(report, cwd=ROOT, env=first_env, check=True, stdout=subprocess.DEVNULL)
        walls = _walls({"pass": [sys.executable, "-c", "pass"], "help": [*flask, "--help"], "report": report}, env)
    return {
        "start: python -c pass": walls["pass"],
        "start: flask --app wsgi --help": walls["help"],
        "CLI: report staff CODE (wall, process start included)": walls["report"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True, type=Path, help="the seeded large instance")
    parser.add_argument("--period", default=None, help="the batch's period (default: last quarter)")
    parser.add_argument("--batch-fraction", type=float, default=1.0)
    parser.add_argument("--skip", action="append", default=[], choices=["figures", "batch", "cli"],
                        help="leave a part out (repeatable): the dashboards, report and check; the batch; the CLI")
    parser.add_argument("--part", choices=["baseline", "large"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    from feedback.services.periods import current_period

    period = args.period or current_period("quarter").previous().label
    if args.part:
        # One instance per process, so that peak memory is this instance's alone.
        import json

        instance = args.instance
        figures = measure(instance, period, args.batch_fraction if args.part == "large" else 1.0,
                          log=lambda text: print(text, file=sys.stderr, flush=True))
        print("FIGURES " + json.dumps(figures))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="feedback-scale-baseline-") as small:
        env = dict(os.environ, FEEDBACK_INSTANCE=small)
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "seed-demo"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        for part, instance in (("baseline", Path(small)), ("large", args.instance)):
            print(f"{part}: {instance}  (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
            results[part] = {}
            if "figures" not in args.skip:
                out = subprocess.run([sys.executable, __file__, "--instance", str(instance), "--period", period,
                                      "--batch-fraction", str(args.batch_fraction), "--part", part],
                                     check=True, capture_output=False, stdout=subprocess.PIPE, text=True).stdout
                import json

                results[part] = json.loads(next(x for x in out.splitlines() if x.startswith("FIGURES "))[8:])
            if "batch" not in args.skip:
                print(f"  the batch (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
                results[part].update(measure_batch(instance, period, args.batch_fraction if part == "large" else 1.0,
                                                   log=lambda text: print(text, file=sys.stderr, flush=True)))
            if "cli" not in args.skip:
                code = results[part].get("staff code (for the command line)") or _first_staff_code(instance)
                print(f"  the command line (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
                results[part].update(measure_cli(instance, code, period))
    print(f"\nperiod {period}; load after: {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")
    print(f"{'figure':48} {'3-branch demo':>14} {'100 branches':>13}  goal")
    def fmt(value) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    for name, value in results["large"].items():
        if name.startswith("staff code"):
            continue
        base = results["baseline"].get(name, "")
        print(f"{name:48} {fmt(base):>14} {fmt(value):>13}  {GOALS.get(name, '')}")


if __name__ == "__main__":
    main()
