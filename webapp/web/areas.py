"""The area type-ahead: a few areas at a time, cut to the reader's area, for every area picker."""

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from webapp.domain.areas import Area, AreaLevel
from webapp.services.platform.gazetteer import search_areas
from webapp.web.runtime import db

bp = Blueprint("areas", __name__)
PUBLIC_LEVELS = (AreaLevel.COMMUNE,)  # a visitor filing a grievance picks a commune anywhere


@bp.get("/areas/search")
def search() -> ResponseReturnValue:
    """`?q=` a name or code, `levels=` commune,village...: JSON of at most 20 areas the reader may choose."""
    asked = {value for value in request.args.get("levels", "").split(",") if value}
    levels = [level for level in AreaLevel if level.value in asked and level != AreaLevel.NATIONAL]
    if current_user.is_authenticated:
        scope = current_user.scope_code
    else:
        scope, levels = "", [level for level in levels if level in PUBLIC_LEVELS]
    found = search_areas(db(), scope_code=scope, text=request.args.get("q", ""), levels=levels)
    return jsonify(areas=[{"code": area.code, "label": area_label(area)} for area in found])


def area_label(area: Area) -> str:
    """What a picker shows for an area: its name in the reader's language, its kind and its code."""
    locale = str(get_locale())
    unit = area.unit_km if locale == "km" else area.unit_en
    return f"{area.name(locale)} ({unit} {area.code})"
