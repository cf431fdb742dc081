"""Place names for linking translations by content, read from the gazetteer's data.

The gazetteer (`qa/data/gazetteer.json`) names every province and city in Vietnamese, in
plain Latin letters and in the other languages the sites publish in. The crawler compares
the places two texts name when it links a translation to its original; it knows no
gazetteer itself (it sits below `qa/`), so the commands that run it pass these names in.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from importlib import resources

logger = logging.getLogger(__name__)

# Fields of a gazetteer unit holding names in other languages or other spellings.
_NAME_FIELDS = ("en", "ru", "uk", "fr", "zh", "aliases")


@cache
def place_names() -> dict[str, list[str]]:
    """Place key -> every name of the place the gazetteer has (empty when it is missing:
    linking then goes without the place rule, logged)."""
    try:
        raw = resources.files("qa").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
        units = json.loads(raw)["units"]
    except (OSError, ValueError, KeyError) as error:
        logger.warning("no gazetteer for translation linking: %s", error)
        return {}
    names: dict[str, list[str]] = {}
    for unit in units:
        found = [unit["vi"], unit["key"].replace("-", " ")]
        for field in _NAME_FIELDS:
            found += unit.get(field) or []
        names[unit["key"]] = found
    return names
