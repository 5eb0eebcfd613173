"""Templates' `_()` finds the request's catalog once, and still follows a locale forced inside the request."""

from flask import render_template_string
from flask_babel import force_locale


def test_templates_translate_in_the_locale_forced_inside_a_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "km"}):
        khmer = render_template_string("{{ _('Inbox') }}")
        assert khmer != "Inbox" and khmer.strip()
        with force_locale("en"):
            assert render_template_string("{{ _('Inbox') }}") == "Inbox"
        assert render_template_string("{{ _('Inbox') }}") == khmer


def test_a_template_message_escapes_its_values_and_fills_its_placeholders(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        page = render_template_string("{{ _('%(count)s unread', count=value) }}", value="<b>3</b>")
    assert page == "&lt;b&gt;3&lt;/b&gt; unread"


def test_each_request_translates_in_its_own_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string("{{ _('Inbox') }}")
    with app.test_request_context("/", headers={"Accept-Language": "km"}):
        khmer = render_template_string("{{ _('Inbox') }}")
    assert english == "Inbox" and khmer != english
