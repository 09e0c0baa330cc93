"""After guests submit through the served app, no IP address or user agent is in the data or the logs."""

import http.client
import re
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from harness import Server, seed_instance  # noqa: E402

GUEST_ADDRESS = "127.0.0.7"  # a loopback address used by nothing else, so any trace of it is ours
USER_AGENT = "PrivacyProbe/1.0 (marker-3f9c1a)"


def _submit(port: int, number: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(GUEST_ADDRESS, 0))
    connection.request("GET", "/s/central", headers={"User-Agent": USER_AGENT, "X-Forwarded-For": "203.0.113.9"})
    reply = connection.getresponse()
    page = reply.read().decode()
    cookie = reply.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "q_welcome": "4", "q_helpful": "5",
                                   "q_comment": f"visit {number}"})
    connection.request("POST", "/s/central", body=body, headers={
        "User-Agent": USER_AGENT, "Cookie": cookie, "X-Forwarded-For": "203.0.113.9",
        "Content-Type": "application/x-www-form-urlencoded"})
    status = connection.getresponse().status
    connection.close()
    return status


def test_no_guest_address_or_user_agent_is_stored_or_logged(tmp_path):
    seed_instance(tmp_path, responses=50)
    server = Server(tmp_path, workers=2).start()
    try:
        statuses = [_submit(server.port, n) for n in range(10)]
    finally:
        server.stop()
    assert statuses == [200] * 10
    texts = [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert any("visit 9" in t for t in texts), "the submissions were stored"
    assert any('"POST /s/central' in t for t in texts), "the access log was written"
    for marker in (GUEST_ADDRESS, "203.0.113.9", "marker-3f9c1a", "PrivacyProbe"):
        assert not any(marker in t for t in texts), f"{marker} found in the instance folder"
