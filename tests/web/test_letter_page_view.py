"""A letter's page view is drawn with the letters' own stylesheet and fonts, served by Sala under its CSP."""

import re

from tests.web.helpers import sign_in
from tests.web.test_letters_pages import case, letter  # noqa: F401 - fixtures


def test_the_page_view_links_the_letter_stylesheet_and_allows_its_fonts(client, case, letter):  # noqa: F811
    sign_in(client, "ca.charchhuk")
    response = client.get(f"/cases/{case.id}/letters/{letter.id}/html")
    page = response.get_data(as_text=True)
    assert '<link rel="stylesheet" href="/letters/assets/letter.css">' in page
    assert letter.reference in page or re.search(r"[០-៩]", page)
    policy = response.headers["Content-Security-Policy"]
    assert "font-src 'self'" in policy and "style-src 'self'" in policy


def test_the_stylesheet_and_its_fonts_are_served_and_nothing_else_of_the_folder(client):
    css = client.get("/letters/assets/letter.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    fonts = re.findall(r'url\("([^"]+)"\)', css.get_data(as_text=True))
    assert "fonts/NotoSansKhmer-Regular.ttf" in fonts
    for font in fonts:
        assert client.get(f"/letters/assets/{font}").status_code == 200, font
    for other in ("_layout.html", "README.md", "fonts/OFL.txt", "../pyproject.toml", "fonts/../_page.html"):
        assert client.get(f"/letters/assets/{other}").status_code == 404, other
