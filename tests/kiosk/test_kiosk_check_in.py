"""A kiosk page checks in with the server, saying how many answers wait on the device (the console's kiosk list)."""

from __future__ import annotations

import json
import time

import pytest

pytestmark = pytest.mark.browser


def test_the_kiosk_page_checks_in_with_the_length_of_its_queue(browser, live_server, store, kiosk):
    context = browser.new_context()
    queued = [{"key": f"waiting-answer-{n:04d}", "fields": [["q_welcome", "5"], ["q_helpful", "4"],
                                                          ["idempotency_key", f"waiting-answer-{n:04d}"]]}
              for n in range(2)]
    # Two answers left on the device from before (say, while the network was down).
    context.add_init_script(
        f"localStorage.setItem('feedback-kiosk-queue:/kiosk/{kiosk.token}', {json.dumps(json.dumps(queued))});")
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/{kiosk.token}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not store.kiosk_activity.get(kiosk.token):
        time.sleep(0.1)
    seen = store.kiosk_activity.get(kiosk.token)
    context.close()
    assert seen and seen["last_seen"] and seen["queue"] == 2
