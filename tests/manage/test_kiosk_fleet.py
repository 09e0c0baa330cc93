"""The kiosk fleet: last seen, answers today, the queue on the device, and a revoke that asks first."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.services.kiosks import register_kiosk


def test_a_kiosk_that_checks_in_shows_when_and_what_waits_on_it(world, sign_in, store, factory, client):
    kiosk = register_kiosk(store, "central", "info", "By the door")
    silent = register_kiosk(store, "central", "info", "Upstairs")
    factory.response("central", desk="info", channel="kiosk", survey="kiosk", at=datetime.now(UTC))
    assert client.get(f"/kiosk/{kiosk.token}/seen?queue=3").status_code == 204
    assert client.get("/kiosk/not-a-kiosk/seen?queue=3").status_code == 404
    assert store.kiosk_activity.get(kiosk.token)["queue"] == 3

    page = sign_in(world.users["manager_a"]).get("/manage/kiosks/").get_data(as_text=True)
    door = page[page.index("By the door"):page.index("</tr>", page.index("By the door"))]
    assert "never" not in door and ">1<" in door and "3 <span" in door
    upstairs = page[page.index("Upstairs"):page.index("</tr>", page.index("Upstairs"))]
    assert "never" in upstairs and "silent" in upstairs
    assert silent.token not in page and kiosk.token not in page  # the secret never shows
    assert "Revoke" not in page  # managers see, admins revoke


def test_a_silly_queue_length_is_not_believed(world, store, client):
    kiosk = register_kiosk(store, "central", "info")
    client.get(f"/kiosk/{kiosk.token}/seen?queue=99999999")
    assert "queue" not in store.kiosk_activity.get(kiosk.token)


def test_revoking_a_kiosk_asks_first(world, sign_in, store):
    kiosk = register_kiosk(store, "central", "info", "By the door")
    admin = sign_in(world.users["admin"])
    listing = admin.get("/manage/setup/kiosks").get_data(as_text=True)
    assert "Revoke…" in listing and "<button type=\"submit\" class=\"button\">Revoke</button>" not in listing
    from feedback.services.kiosk_fleet import kiosk_reference

    reference = kiosk_reference(kiosk.token)
    confirm = admin.get(f"/manage/setup/kiosks/{reference}/revoke").get_data(as_text=True)
    assert "Revoke the kiosk By the door?" in confirm and "stops accepting answers" in confirm
    assert store.directory.kiosk(kiosk.token).active  # asking changed nothing
    assert admin.post("/manage/setup/kiosks/revoke", data={"kiosk": reference}).status_code == 302
    assert not store.directory.kiosk(kiosk.token).active
    assert admin.get(f"/manage/setup/kiosks/{reference}/revoke").status_code == 404
