"""Errors say what they are: a storage fault is a 503 "not stored", anything else a 500 with its cause logged."""

from __future__ import annotations

import errno
import logging

import pytest
from flask import render_template


def _add_failing_page(app, exc: BaseException | None = None, template: str | None = None):
    def failing():
        if template:
            return render_template(template)
        raise exc

    app.add_url_rule("/_fails", "fails", failing)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EROFS])
def test_a_full_or_failing_disk_says_not_stored(app, client, code):
    _add_failing_page(app, OSError(code, "disk trouble"))
    answer = client.get("/_fails")
    assert answer.status_code == 503
    assert "not stored" in answer.get_data(as_text=True)


def test_a_missing_template_is_a_500_with_the_fault_logged(app, client, caplog):
    _add_failing_page(app, template="no/such/template.html")
    with caplog.at_level(logging.ERROR):
        answer = client.get("/_fails")
    assert answer.status_code == 500
    assert "not stored" not in answer.get_data(as_text=True)
    assert "no/such/template.html" in caplog.text


def test_a_permission_error_is_a_500_with_the_fault_logged(app, client, caplog):
    _add_failing_page(app, PermissionError(errno.EACCES, "Permission denied", "/srv/feedback/secret"))
    with caplog.at_level(logging.ERROR):
        answer = client.get("/_fails")
    assert answer.status_code == 500
    assert "not stored" not in answer.get_data(as_text=True)
    assert "Permission denied" in caplog.text and "/srv/feedback/secret" in caplog.text
