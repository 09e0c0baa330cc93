"""A guest's survey submit against its physical floor, in one command: three rows side by side.

    python bench/web.py [--seconds 15] [--connections 8] [--workers 2]

Needs ``wrk`` (Debian package ``wrk``). Each row serves an app with gunicorn
(``--workers`` sync workers, the project's ``gunicorn.conf.py``, rate limits
off) on a free loopback port and lets wrk post surveys to it for
``--seconds`` with ``--connections`` connections, every post a new answer
with its own idempotency key, reusing one session's CSRF token:

* ceiling: bare Flask + Flask-WTF with the same fields and CSRF, storing nothing;
* floor: the same, appending each answer as one JSON line with ``fsync``;
* project: the QR survey POST of the real app on a seeded instance.

Printed per row: requests a second, p50 and p99 latency, errors (socket
errors, timeouts and answers other than the thank-you page), answers
acknowledged (the thank-you page came back) against answers stored, and the
ratio to the floor measured in the same run. Traffic goes only to 127.0.0.1
and stops after ``--seconds``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, THANKS_MARK, free_port, seed_instance  # noqa: E402

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANSWERS = {"q_welcome": "5", "q_listening": "4", "q_helpful": "5", "q_courtesy": "5", "q_found": "yes",
           "q_reason": "question", "q_nps": "9", "q_comment": "Quick and kind help at the desk."}

# wrk's Lua side: a fresh idempotency key per request; acknowledged = the thank-you page came back.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  acked = 0
  other = 0
  counter = 0
end
function request()
  counter = counter + 1
  local key
  if KEYS then
    -- the project's signed keys, as its form pages hand them out; each thread takes every other one
    key = KEYS[(counter - 1) * THREADS + tid]
    if key == nil then key = string.format("%s%02d%09d", RUN, tid, counter) end
  else
    key = string.format("%s%02d%09d", RUN, tid, counter)
  end
  return wrk.format("POST", PATH, HEADERS, BODY .. "&idempotency_key=" .. key)
end
function response(status, headers, body)
  if status == 200 and string.find(body, MARK, 1, true) then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local acknowledged, refused = 0, 0
  for _, t in ipairs(threads) do
    acknowledged = acknowledged + t:get("acked")
    refused = refused + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,' ..
    '"timeouts":%d,"refused":%d,"acknowledged":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.timeout, refused, acknowledged))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this text


def _serve(app: str, env: dict, workers: int, extra: list[str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, **env, PORT=str(port), WORKERS=str(workers))
    handle = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", *extra, app],
        cwd=ROOT, env=env, stdout=handle, stderr=handle, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/s/central", timeout=2) as reply:
                if reply.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"{app} did not answer within 60 s; see {log}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def _session(url: str) -> tuple[str, str]:
    """A guest's cookie and CSRF token, fetched once and reused by every post of the run."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url + "/s/central", timeout=10) as reply:
        token = _TOKEN.search(reply.read().decode()).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token


def _signed_keys(instance: Path, count: int) -> list[str]:
    """Idempotency keys signed with the instance's secret, as the survey page hands them out.

    A key the server did not sign is still stored but held for review as a
    forged form token, which is not the path a guest's answer takes.
    """
    sys.path.insert(0, str(ROOT))
    from feedback import create_app
    from feedback.survey.form_keys import new_form_key

    app = create_app({"INSTANCE_PATH": instance, "BACKUP_INTERVAL_HOURS": 0})
    with app.app_context():
        return [new_form_key() for _ in range(count)]


def _run_wrk(url: str, run_id: str, seconds: int, connections: int, folder: Path,
             keys: list[str] | None = None) -> dict:
    cookie, token = _session(url)
    body = urllib.parse.urlencode({"csrf_token": token, **ANSWERS})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    lua_headers = "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
    script = folder / f"{run_id}.lua"
    threads = min(2, connections)
    lua_keys = "KEYS = {" + ",".join(_lua_string(k) for k in keys) + "}\n" if keys else ""
    script.write_text(f"RUN = {_lua_string(run_id)}\nPATH = \"/s/central\"\nHEADERS = {lua_headers}\n"
                      f"BODY = {_lua_string(body)}\nMARK = {_lua_string(THANKS_MARK)}\nTHREADS = {threads}\n"
                      + lua_keys + WRK_SCRIPT)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", str(script), url + "/s/central"],
                         capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _project_stored(instance: Path, sent: set[str]) -> tuple[int, int]:
    sys.path.insert(0, str(ROOT))
    from feedback.store import Store

    ours = [r for r in Store(instance / "data").responses.all("central") if (r.idempotency_key or "") in sent]
    if len(ours) != len({r.idempotency_key for r in ours}):
        raise SystemExit("an answer was stored twice")
    return len(ours), sum(r.review == "held" for r in ours)


def _floor_stored(path: Path) -> int:
    if not path.exists():
        return 0
    keys = [json.loads(line)["idempotency_key"] for line in path.read_text().splitlines()]
    return len(set(keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--responses", type=int, default=2000, help="responses seeded into the project's instance")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="feedback-web-bench-"))
    rows = []
    try:
        instance = folder / "instance"
        seed_instance(instance, responses=args.responses)
        floor_file = folder / "floor.jsonl"
        secret = os.urandom(16).hex()
        apps = [
            ("ceiling", "web_baselines:ceiling_app", {"BENCH_SECRET_KEY": secret}, ["--pythonpath", "bench"]),
            ("floor", "web_baselines:floor_app", {"BENCH_SECRET_KEY": secret, "BENCH_FLOOR_FILE": str(floor_file)},
             ["--pythonpath", "bench"]),
            ("project", "wsgi:app", {"FEEDBACK_INSTANCE": str(instance), "FEEDBACK_RATELIMIT_ENABLED": "0"}, []),
        ]
        for name, app, env, extra in apps:
            process, url = _serve(app, env, args.workers, extra, folder / f"{name}.log")
            run_id = f"bench{name[:3]}"
            # Enough for 2,000 posts a second; the project's keys are signed as its pages sign them.
            keys = _signed_keys(instance, args.seconds * 2000) if name == "project" else None
            try:
                result = _run_wrk(url, run_id, args.seconds, args.connections, folder, keys)
            finally:
                _stop(process)
            held = None
            if name == "ceiling":
                stored = None
            elif name == "floor":
                stored = _floor_stored(floor_file)
            else:
                stored, held = _project_stored(instance, set(keys))
            rows.append((name, result, stored, held))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    floor_rate = next(r["requests"] / (r["duration_us"] / 1e6) for n, r, _, _ in rows if n == "floor")
    print(f"Guest survey POST, wrk {args.connections} connections, {args.seconds} s, "
          f"{args.workers} sync gunicorn workers each, rate limits off; load before: {os.getloadavg()[0]:.2f}")
    print(f"{'row':8} {'req/s':>8} {'x floor':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} "
          f"{'acknowledged':>12} {'stored':>7} {'lost':>5} {'held':>5}")
    for name, r, stored, held in rows:
        rate = r["requests"] / (r["duration_us"] / 1e6)
        errors = r["socket_errors"] + r["timeouts"] + r["refused"]
        lost = "-" if stored is None else max(0, r["acknowledged"] - stored)
        print(f"{name:8} {rate:8.0f} {rate / floor_rate:8.2f} {r['p50_us'] / 1000:7.1f} {r['p99_us'] / 1000:7.1f} "
              f"{errors:>7} {r['acknowledged']:>12} {'-' if stored is None else stored:>7} {lost:>5} "
              f"{'-' if held is None else held:>5}")
    print("goal: project >= 0.70 x floor, p99 < 25 ms, 0 errors, 0 lost, 0 held (stored may exceed acknowledged "
          "by the posts still in flight when wrk stopped)")


if __name__ == "__main__":
    main()
