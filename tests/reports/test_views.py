"""Report downloads: a manager gets their branches' reports only; bad periods get a clear error."""

from __future__ import annotations

from .conftest import PERIOD, pdf_pages, pdf_text


def test_a_manager_downloads_a_coaching_report_of_their_branch(client, auth, factory, known_branch, tmp_path):
    factory.user("boss@example.org", "manager", branches=["central"])
    auth.login("boss@example.org")
    response = client.get(f"/manage/reports/staff/MARIA.pdf?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Maria Jensen" in pdf_text(response.data, tmp_path)
    assert client.get(f"/manage/reports/branch/central.pdf?period={PERIOD}").status_code == 200


def test_a_manager_gets_nothing_of_other_branches_nor_the_system(client, auth, factory, known_branch):
    factory.staff("Ida Holm", "riverside", code="IDAHO")
    factory.user("boss@example.org", "manager", branches=["central"])
    auth.login("boss@example.org")
    assert client.get(f"/manage/reports/staff/IDAHO.pdf?period={PERIOD}").status_code == 404
    assert client.get(f"/manage/reports/branch/riverside.pdf?period={PERIOD}").status_code == 404
    assert client.get(f"/manage/reports/system.pdf?period={PERIOD}").status_code == 403


def test_signed_out_and_other_roles_are_kept_out(client, auth, factory, known_branch):
    assert client.get(f"/manage/reports/staff/MARIA.pdf?period={PERIOD}").status_code in (302, 401)
    factory.user("shop@example.org", "shopper")
    auth.login("shop@example.org")
    assert client.get(f"/manage/reports/staff/MARIA.pdf?period={PERIOD}").status_code == 403


def test_an_admin_downloads_the_system_report(client, auth, factory, known_branch, tmp_path):
    factory.user("admin@example.org", "admin")
    auth.login("admin@example.org")
    response = client.get(f"/manage/reports/system.pdf?period={PERIOD}")
    assert response.status_code == 200
    text = " ".join(pdf_pages(response.data, tmp_path))
    # Responses per branch: Central's twelve less the flagged burst, which counts in no figure.
    assert "Central Library 11" in text and "Riverside Library 5" in text


def test_a_bad_period_is_explained_next_to_the_field(client, auth, factory, known_branch):
    factory.user("boss@example.org", "manager", branches=["central"])
    auth.login("boss@example.org")
    response = client.get("/manage/reports/staff/MARIA.pdf?period=2026-Q7")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="period-error"' in page and "2026-Q4" in page


def test_the_index_lists_only_the_managers_downloads(client, auth, factory, known_branch):
    factory.staff("Ida Holm", "riverside", code="IDAHO")
    factory.user("boss@example.org", "manager", branches=["central"])
    auth.login("boss@example.org")
    page = client.get(f"/manage/reports/?period={PERIOD}").get_data(as_text=True)
    assert f"/manage/reports/staff/MARIA.pdf?period={PERIOD}" in page
    assert "IDAHO" not in page and "riverside" not in page and "system.pdf" not in page


def test_the_batch_writes_every_staff_and_branch_report_the_system_report_and_a_zip(runner, known_branch, tmp_path):
    import zipfile

    result = runner.invoke(args=["reports", "--period", PERIOD, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(zipfile.ZipFile(tmp_path / "out" / f"reports-{PERIOD}.zip").namelist())
    # Files are named by person (and unique by code); the board's report comes with a batch of every branch.
    assert names == ["branch-central.pdf", "branch-riverside.pdf", "staff-central-ahmed-hassan-AHMED.pdf",
                     "staff-central-maria-jensen-MARIA.pdf", f"system-{PERIOD}.pdf"]
    board = " ".join(pdf_text((tmp_path / "out" / f"system-{PERIOD}.pdf").read_bytes(), tmp_path).split())
    assert "Board report" in board and "For the board" in board and "for coaching" not in board
    assert "Maria Jensen" not in board and "Ahmed Hassan" not in board  # the board's document names no one
    assert (tmp_path / "out" / "staff-central-maria-jensen-MARIA.pdf").read_bytes().startswith(b"%PDF")
