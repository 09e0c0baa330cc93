"""A user's language is saved on their account and used for their pages."""

from __future__ import annotations


def test_the_language_chosen_on_my_account_is_used_on_every_page(app, client, auth, factory, store):
    user = factory.user("maren@test.library", "admin")
    auth.login("maren@test.library")
    page = client.get("/auth/account").get_data(as_text=True)
    assert 'name="language"' in page and "Dansk" in page and "Español" in page
    response = client.post("/auth/account", data={"language": "da"})
    assert response.status_code == 302
    assert store.directory.user(user.id).language == "da"
    assert '<html lang="da">' in client.get("/manage/").get_data(as_text=True)
    # A one-off ?lang= changes that page only; the account's language comes back on the next.
    assert '<html lang="es">' in client.get("/manage/?lang=es").get_data(as_text=True)
    assert '<html lang="da">' in client.get("/manage/").get_data(as_text=True)


def test_a_language_that_is_not_offered_is_refused_next_to_the_field(client, auth, factory, store):
    user = factory.user("maren@test.library", "shopper")
    auth.login("maren@test.library")
    response = client.post("/auth/account", data={"language": "xx"})
    assert response.status_code == 400 and 'id="language-error"' in response.get_data(as_text=True)
    assert store.directory.user(user.id).language == "en"


def test_signing_in_uses_the_accounts_language_not_the_browsers(client, auth, factory, store):
    user = factory.user("maren@test.library", "admin")
    store.directory.update_user(user.id, language="da")
    auth.login("maren@test.library")
    page = client.get("/manage/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="da">' in page
