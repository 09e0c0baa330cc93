"""A system at the largest scale: the dashboard, the reports, ``check`` and the backup on 100 branches.

    python bench/scale.py --instance PATH [--batch-fraction 1.0] [--period 2026-Q3]

``PATH`` is an instance seeded with ``seed-demo --branches 100 --desks 400
--staff 1000 --responses 1000000 --years 3`` (a few minutes; the benchmark
does not seed it, so that it can be run more than once on the same data).
The baseline, measured in the same run, is the three-branch demo
(``seed-demo``, 5,000 responses), which the benchmark seeds itself.

Figures, each for the large system and the baseline beside it:

* the dashboard of a manager's two branches and of every branch, for the last
  month and this year: the first view after a start, and the next view;
* one staff report (figures, HTML and PDF), median of three;
* the batch: every staff and branch report of ``--period`` rendered on a pool
  of two render processes, with progress; ``--batch-fraction`` renders that
  share of the branches (each branch's staff and branch report) and
  extrapolates; peak memory of this process and of the largest render process;
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
    """What a fresh worker process starts with: no cached figures, no parsed files."""
    from feedback.evidence import cells

    cells._cache.clear()


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
            _clear_figure_caches()
            store.cache.clear()
            for label, period in ((f"dashboard, {scope_label}, last month", month),
                                  (f"dashboard, {scope_label}, this year", year)):
                cold, _ = _timed(lambda p=period, b=scope_branches: build_dashboard(store, Scope(b, p)))
                warm, _ = _timed(lambda p=period, b=scope_branches: build_dashboard(store, Scope(b, p)))
                figures[f"{label} (first view)"] = cold
                figures[f"{label} (next view)"] = warm
                log(f"  {label}: first view {cold:.2f} s, next {warm:.2f} s")
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

        total_reports = sum(len(store.directory.staff(b.slug)) + 1 for b in branches)
        chosen = branches[:max(1, round(len(branches) * batch_fraction))]
        _clear_figure_caches()
        done = 0
        started = time.perf_counter()

        def jobs():
            for branch in chosen:
                for staff_member in store.directory.staff(branch.slug):
                    yield documents.PdfJob(documents.staff_report_html(store, staff_member.code, period),
                                           name=staff_member.code)
                yield documents.PdfJob(documents.branch_report_html(store, branch.slug, period), name=branch.slug)

        failures = 0
        for _job, result in pool.render_many(jobs()):
            done += 1
            failures += not isinstance(result, bytes)
            if done % 50 == 0:
                log(f"    {done} reports in {time.perf_counter() - started:.0f} s")
        batch = time.perf_counter() - started
        pool.close()
        figures["batch: reports rendered"] = done
        figures["batch: failures"] = failures
        figures["batch: seconds"] = batch
        figures["batch: seconds for all (extrapolated)"] = batch * total_reports / max(1, done)
        figures["batch: peak RSS of this process, MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["batch: peak RSS of a render process, MB"] = (
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        log(f"  batch: {done} of {total_reports} reports in {batch:.0f} s")

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


GOALS = {
    "dashboard, a manager's 2 branches, last month (next view)": "< 0.3 s",
    "dashboard, a manager's 2 branches, this year (next view)": "< 1 s",
    "dashboard, all branches, last month (next view)": "< 0.3 s",
    "dashboard, all branches, this year (next view)": "< 1 s",
    "one staff report (figures + PDF), warm": "< 0.5 s",
    "batch: seconds for all (extrapolated)": "< 900 s",
    "batch: peak RSS of this process, MB": "< 1024 (with the render processes)",
    "check (parse every file)": "< 60 s",
    "daily backup (links unchanged files)": "< 60 s",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True, type=Path, help="the seeded large instance")
    parser.add_argument("--period", default=None, help="the batch's period (default: last quarter)")
    parser.add_argument("--batch-fraction", type=float, default=1.0)
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
            out = subprocess.run([sys.executable, __file__, "--instance", str(instance), "--period", period,
                                  "--batch-fraction", str(args.batch_fraction), "--part", part],
                                 check=True, capture_output=False, stdout=subprocess.PIPE, text=True).stdout
            import json

            results[part] = json.loads(next(x for x in out.splitlines() if x.startswith("FIGURES "))[8:])
    print(f"\nperiod {period}; load after: {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")
    print(f"{'figure':48} {'3-branch demo':>14} {'100 branches':>13}  goal")
    def fmt(value) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    for name, value in results["large"].items():
        base = results["baseline"].get(name, "")
        print(f"{name:48} {fmt(base):>14} {fmt(value):>13}  {GOALS.get(name, '')}")


if __name__ == "__main__":
    main()
