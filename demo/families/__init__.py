"""The template families of the demo sites, one class each behind `SiteFamily`."""

from __future__ import annotations

from demo.families.base import SiteFamily
from demo.families.cardcms import CardCms
from demo.families.detailcms import DetailCms
from demo.families.hexcms import HexCms
from demo.families.vietnamvn import VietnamVn
from demo.profiles import FamilyName

# In the order an article URL is matched against them.
FAMILIES: dict[FamilyName, SiteFamily] = {
    family.name: family for family in (VietnamVn(), HexCms(), CardCms(), DetailCms())
}


def family_named(name: FamilyName) -> SiteFamily:
    return FAMILIES[name]


def family_for_article(host: str, path: str) -> SiteFamily | None:
    """The family whose article URLs look like `host` + `path`, if any."""
    return next((f for f in FAMILIES.values() if f.owns(host, path)), None)


__all__ = ["FAMILIES", "SiteFamily", "family_for_article", "family_named"]
