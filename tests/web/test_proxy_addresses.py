"""Behind a reverse proxy, throttling and rate limits must count the client's address, not the proxy's."""

from dataclasses import replace

from flask import request

from webapp.app import create_app


def _seen_address(settings, forwarded_for: str) -> str:
    app = create_app(settings)
    app.add_url_rule("/address-seen", "address_seen", lambda: request.remote_addr or "")
    response = app.test_client().get("/address-seen", headers={"X-Forwarded-For": forwarded_for})
    return response.get_data(as_text=True)


def test_with_one_trusted_proxy_the_client_address_is_the_forwarded_one(settings):
    assert _seen_address(replace(settings, proxy_hops=1), "203.0.113.9") == "203.0.113.9"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(settings):
    assert _seen_address(settings, "203.0.113.9") == "127.0.0.1"
