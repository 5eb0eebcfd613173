"""Signing in and out, and what a wrong password says."""

from tests.web.helpers import csrf_token, post, sign_in


def test_demo_user_signs_in_and_sees_the_inbox(client):
    sign_in(client, "ca.charchhuk")
    page = client.get("/").get_data(as_text=True)
    assert "My tasks" in page and "Available to claim" in page


def test_wrong_password_does_not_say_which_half_was_wrong(client):
    client.set_cookie("sala_lang", "en")
    token = csrf_token(client)
    wrong_password = client.post(
        "/sign-in", data={"username": "ssdm.ac", "password": "nope", "csrf_token": token}
    )
    unknown_user = client.post(
        "/sign-in", data={"username": "nobody", "password": "nope", "csrf_token": token}
    )
    assert wrong_password.status_code == unknown_user.status_code == 401
    for response in (wrong_password, unknown_user):
        assert "The username or password is not right." in response.get_data(as_text=True)


def test_pages_need_a_signed_in_user(client):
    response = client.get("/cases/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_out_ends_the_session(client):
    sign_in(client, "ssdm.ac")
    assert post(client, "/sign-out").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_message_is_translated_to_khmer(client):
    token = csrf_token(client)
    response = client.post("/sign-in", data={"username": "ssdm.ac", "password": "nope", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "The username or password" not in page
    assert 'role="alert"' in page and 'lang="km"' in page


def test_sign_in_without_csrf_token_is_refused(client):
    client.set_cookie("sala_lang", "en")
    response = client.post("/sign-in", data={"username": "ssdm.ac", "password": "sala-demo"})
    assert response.status_code == 400
    assert "did not come from Sala" in response.get_data(as_text=True)


def test_sign_in_never_redirects_to_another_site(client):
    token = csrf_token(client)
    response = client.post(
        "/sign-in?next=https://evil.example/",
        data={"username": "ssdm.ac", "password": "sala-demo", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_passwords_are_stored_hashed(session):
    from tests.factories import user

    stored = user(session, "ssdm.ac").password_hash
    assert "sala-demo" not in stored and stored.startswith("scrypt:")
