"""Page weight on a slow commune connection: the bytes of a signed-in officer's page with everything it loads
(HTML, stylesheets, scripts and the web fonts the stylesheets name), plain and gzip-compressed (level 6, what
a compressing proxy in front of Sala would send; woff2 fonts are compressed already).

The app runs in-process on a fresh SQLite database with the demo data; pages are fetched with Flask's test
client, so the figures are bytes, not timings. Run: .venv/bin/python bench/page_weight.py [--page /cases/]
"""

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask.testing import FlaskClient  # noqa: E402

from webapp.app import create_app  # noqa: E402
from webapp.services.assembly.bootstrap import bootstrap  # noqa: E402
from webapp.services.assembly.seed import DEMO_PASSWORD  # noqa: E402
from webapp.settings import Settings  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
CSS_URL = re.compile(r'url\("?([^")]+)"?\)')


def _sign_in(client: FlaskClient, username: str, locale: str) -> None:
    client.set_cookie("sala_lang", locale)
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/sign-in", data=data).status_code == 302


def _fetch(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data()


def weigh(client: FlaskClient, page: str) -> list[tuple[str, int, int]]:
    """(url, plain bytes, gzip bytes) of the page and of each file it loads, fonts through the CSS."""
    html = _fetch(client, page)
    rows = [(page, html)]
    for asset in ASSET.findall(html.decode()):
        body = _fetch(client, asset)
        rows.append((asset, body))
        if asset.endswith(".css"):
            for font in dict.fromkeys(CSS_URL.findall(body.decode())):
                font_url = urljoin(asset, font)
                rows.append((font_url, _fetch(client, font_url)))
    return [(url, len(body), len(gzip.compress(body, compresslevel=6))) for url, body in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--page", default="/", help="the page to weigh (the inbox by default)")
    parser.add_argument("--user", default="ca.charchhuk")
    parser.add_argument("--locale", default="km")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/weight.sqlite3", secret_key="bench", instance_path=Path(tmp)
        )
        bootstrap(settings, demo=True, provinces=("17",))
        app = create_app(settings)
        client = app.test_client()
        _sign_in(client, args.user, args.locale)
        rows = weigh(client, args.page)
    print(f"{args.page} as {args.user} ({args.locale})")
    print(f"{'file':60} {'plain':>9} {'gzip':>9}")
    for url, plain, packed in rows:
        print(f"{url:60} {plain:9,} {packed:9,}")
    print(f"{'total':60} {sum(r[1] for r in rows):9,} {sum(r[2] for r in rows):9,}")


if __name__ == "__main__":
    main()
