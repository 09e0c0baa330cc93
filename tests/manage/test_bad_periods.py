"""A period nobody can mean (``0000``, ``9999-12``) is the asker's mistake: 400 with the forms accepted, never a 500."""

from __future__ import annotations

import pytest

BAD_PERIODS = ["0000", "9999-12", "0000-Q1", "2026-13"]


@pytest.fixture
def manager(client, auth, world):
    auth.login(world.users["admin"])
    return world


@pytest.mark.parametrize("period", BAD_PERIODS)
def test_a_bad_period_is_a_400_with_the_forms_it_accepts_on_every_manager_url(client, manager, period):
    code = manager.staff_a.code
    urls = [f"/manage/?period={period}", f"/manage/staff/{manager.staff_a.id}?period={period}",
            f"/manage/reports/?period={period}", f"/manage/reports/staff/{code}.pdf?period={period}",
            "/manage/reports/branch/central.pdf?period=" + period, f"/manage/reports/system.pdf?period={period}"]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert "2026-Q4" in answer.get_data(as_text=True), url


@pytest.mark.parametrize("period", ["0000", "9999-12"])
def test_the_cli_refuses_a_bad_period_with_a_clean_message(runner, manager, tmp_path, period):
    result = runner.invoke(args=["report", "branch", "central", "--period", period, "--out",
                                 str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "between 1900 and 2999" in result.output and "Traceback" not in result.output
