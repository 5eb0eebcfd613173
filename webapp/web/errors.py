"""The one place that turns errors into translated pages and status codes. No input gives a 500 page."""

import contextlib
import logging

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from webapp.db import database_unavailable
from webapp.domain.errors import DomainError
from webapp.web.formatting import format_size
from webapp.web.runtime import discard, runtime

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: _l("The request was not understood."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found."),
    405: _l("This action is not allowed here."),
}


def translated(error: DomainError) -> str:
    return _(error.message, **error.params) if error.params else _(error.message)


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        return _page(error.status, translated(error))

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> ResponseReturnValue:
        return _page(
            400, _("This form has expired or did not come from Sala. Go back, reload and try again.")
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
        return _page(413, too_large_message())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        return _page(code, str(HTTP_MESSAGES.get(code, _l("The request could not be completed."))))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("Unexpected error on %s %s", request.method, request.path, exc_info=error)
        return _page(500, _("Something went wrong on our side. Nothing was saved; please try again."))

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> ResponseReturnValue:
        if not database_unavailable(error):
            return unexpected(error)
        return database_away(error)


def database_away(error: Exception) -> ResponseReturnValue:
    """503 while the database is away (restarting, failing over): a page that needs no database, not even
    to know who is signed in, in the language of the cookie or the browser."""
    log.warning("event=database_unavailable path=%s error=%r", request.path, str(error).splitlines()[0][:300])
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # the session's connection may be dead already
        discard()
    message = _("Sala cannot reach its database right now. Nothing was saved; try again in a moment.")
    page = render_template("unavailable.html", message=message)
    return page, 503, {"Retry-After": "10"}


def too_large_message() -> str:
    """The limits this app enforces: the whole request (MAX_CONTENT_LENGTH) and each file (settings)."""
    return _(
        "The upload is too large: a form may send at most %(total)s in all, and each file may be at most "
        "%(each)s.",
        total=size_text(current_app.config.get("MAX_CONTENT_LENGTH") or 0),
        each=size_text(runtime().settings.max_upload_bytes),
    )


def size_text(size: int) -> str:
    """A size as people read it, in the reader's words and digits: 5 MB, ៥ មេហ្គាបៃ."""
    return format_size(size)


def _page(status: int, message: str) -> ResponseReturnValue:
    discard()  # an error page never commits what the request had flushed
    return render_template("error.html", status=status, message=message), status
