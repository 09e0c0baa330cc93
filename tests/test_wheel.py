"""The package installs from a wheel and serves: templates, report assets and compiled catalogues inside it.

The wheel is built from the files git tracks (so from ``.po`` catalogues only,
as on a clean machine), installed into a fresh virtualenv, and served from an
empty folder; a guest page is fetched over HTTP in Danish. The fresh venv
borrows the third-party libraries of the test's own environment (one line in a
``.pth`` file) instead of downloading them again: what is tested is our
package, and it takes seconds rather than minutes.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

from feedback.resources import PROJECT_ROOT


def _run(*args, cwd=None, timeout=120) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _tracked_copy(target: Path) -> None:
    names = _run("git", "ls-files", "-z", cwd=PROJECT_ROOT).split("\0")
    for name in filter(None, names):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, attempts: int = 100) -> tuple[int, str]:
    for _attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.status, answer.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def test_a_wheel_built_from_a_clean_checkout_installs_and_serves(tmp_path):
    source, dist, venv, site = (tmp_path / n for n in ("src", "dist", "venv", "site"))
    for folder in (source, dist, site):
        folder.mkdir()
    _tracked_copy(source)
    assert not list(source.rglob("*.mo"))  # catalogues are compiled by the build, not committed
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist),
         str(source))
    wheel = next(dist.glob("guest_feedback-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("feedback/templates/base.html", "feedback/templates/survey/form.html",
                     "feedback/report_assets/print.css", "feedback/report_assets/tips.json",
                     "feedback/translations/da/LC_MESSAGES/messages.mo",
                     "feedback/translations/es/LC_MESSAGES/messages.mo"):
        assert expected in names, expected
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)

    _run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    fresh_site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (fresh_site / "borrowed_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel))
    where = _run(str(python), "-c", "import feedback; print(feedback.__file__)", cwd=site).strip()
    assert where.startswith(str(fresh_site)), where

    setup = ("from feedback import create_app; from feedback.model import Branch; "
             "app = create_app(); app.extensions['feedback_store'].directory.add_branch(Branch('central', 'Central'))")
    _run(str(python), "-c", setup, cwd=site)
    port = _free_port()
    server = subprocess.Popen([str(python), "-m", "flask", "--app", "feedback", "run", "--port", str(port)],
                              cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status, page = _get(f"http://127.0.0.1:{port}/s/central?lang=da")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert status == 200, output
    assert "Meget godt" in page and "Central" in page  # a Danish string, from the compiled catalogue
    # The instance folder is the working directory's, not site-packages'.
    assert (site / "instance" / "data" / "directory.json").is_file()
    assert not (fresh_site / "instance").exists()
