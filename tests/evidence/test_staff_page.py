"""The staff page reads the evidence the PDF reads: labels with n and limits, nothing the person does not control."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .conftest import PERIOD


def test_the_staff_page_shows_the_evidence_behind_each_label(team, store, factory, client, auth):
    factory.user("manager@example.org", "manager", branches=["central"])
    team.answers(team.subject, 40, {"helpfulness": [2, 3, 2, 3, 2]},
                 comments=["Ahmed found exactly the book I needed", "I waited too long in the queue"])
    store.responses.add_many([factory.response("central", staff=team.subject.id, store=False,
                                               answers={"welcome": 4, "helpful": 3, "wait": 1, "nps": 0},
                                               survey="kiosk", channel="kiosk",
                                               at=datetime(2026, 5, 20, 10, tzinfo=UTC))])
    auth.login("manager@example.org")
    html = client.get(f"/manage/staff/{team.subject.id}?period={PERIOD.label}").get_data(as_text=True)
    row = re.search(r'<tr id="evidence-helpfulness">.*?</tr>', html, re.S).group(0)
    assert "Focus area" in row and "(41)" in row and "(241)" in row  # 40 QR answers and one at the kiosk
    welcome = re.search(r'<tr id="evidence-welcome">.*?</tr>', html, re.S).group(0)
    assert "Focus area" not in welcome and "Strength" not in welcome
    assert "Wait time" not in html and "NPS" not in html
    assert "Ahmed found exactly" in html.split("Comments that name a colleague")[1]
    praise = re.search(r'id="staff-praise">(.*?)</ul>', html, re.S).group(1)
    assert "Ahmed" not in praise and "queue" not in html.split("In guests")[1]
