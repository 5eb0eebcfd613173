"""The area type-ahead: a few areas at a time, cut to the reader's area, for every area picker."""

from collections.abc import Sequence

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from webapp.domain.areas import Area, AreaLevel
from webapp.letters import Place
from webapp.services.platform.gazetteer import parents_of, search_areas
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
    parents = parents_of(db(), found)
    return jsonify(areas=[{"code": a.code, "label": area_label(a, parents.get(a.code, []))} for a in found])


def area_label(area: Area, parents: Sequence[Area] = ()) -> str:
    """What a picker shows for an area: its name in the reader's language, its kind and its code, then the
    areas above: Prasat (Village 17010101), Char Chhuk Commune, Angkor Chum District, Siem Reap Province"""
    locale = str(get_locale())
    unit = area.unit_km if locale == "km" else area.unit_en
    above = [Place.of(parent).label(locale) for parent in parents]
    return (" " if locale == "km" else ", ").join([f"{area.name(locale)} ({unit} {area.code})", *above])
