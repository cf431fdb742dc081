"""Publication dates: parse the forms the sites use and pick the one to trust.

Every date is returned in Vietnam time (UTC+07:00). Naive values are local times
(the sites are Vietnamese; vietnam.vn's `Z` values are converted), and a date without
a time is midnight local time, flagged `has_time=False` so that a timed value for the
same day from another source can refine it.

Sources, in order of trust: JSON-LD `datePublished` ("jsonld"), `<meta>` tags such as
`article:published_time` ("meta"), the date shown next to the headline by a known
layout ("byline"), a date in the URL path ("url"), and a dateline paragraph in the body
("dateline"), and last the day htmldate finds for a page in no known layout ("htmldate":
a guess from the whole page, so it only counts when the page states no date itself).
Dates from page chrome (a "today" bar, sidebars) are never candidates of the others:
callers only hand in text from the article itself.

A date with no time of day (a dateline, a date-only JSON-LD value) can also be refined by
the upload stamp in the file names of the story's own images ("image"): the CMSs name
uploads `<n>_<yyyymmddhhmmss>.jpg` or `<epoch ms>_<slug>.jpeg`, and an image in the story
was uploaded before it went out, so the latest such stamp on that same day is the closest
known time. An image stamp never dates an article on its own (file photos are reused).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import dateparser

from facts.vietnam_time import VIETNAM_TZ

logger = logging.getLogger(__name__)

SOURCE_ORDER = ("jsonld", "meta", "byline", "url", "dateline", "htmldate")
IMAGE_SOURCE = "image"
MIN_YEAR, MAX_YEAR = 1995, 2100
# Free-form text longer than this is not handed to dateparser (it finds dates in prose).
DATEPARSER_MAX_CHARS = 60

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_NUMERIC_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)")
_VI_WORDS = re.compile(
    r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,|năm|/)?\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TIME = re.compile(r"(?<![\d/.])(?P<H>[01]?\d|2[0-3])\s*[:h]\s*(?P<M>[0-5]\d)(?![\d/])")
# How far from a date a clock time may sit and still belong to it ("14:34, 17/03/2025").
_TIME_WINDOW = 16
# An upload stamp in an image file name: "1_20250520160517.jpg",
# "14523_slug_20250317143417.jpg" (local time), or "1747021337000_slug.jpeg" (epoch
# milliseconds) in a folder dated /yyyy/mm/dd/.
_IMAGE_LOCAL_STAMP = re.compile(
    r"(?:^|[_-])(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})"
    r"(?=[_.-])"
)
_IMAGE_EPOCH_STAMP = re.compile(r"^(?P<ms>1\d{12})(?=[_.-])")
_IMAGE_FOLDER_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})/(?P<d>\d{2})/[^/]*$")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-]?(?P<m>0[1-9]|1[0-2])[/-]?(?P<d>0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)


@dataclass(frozen=True)
class DateCandidate:
    value: datetime  # aware, +07:00
    has_time: bool
    source: str


def to_vietnam_time(value: datetime) -> datetime:
    """Aware datetimes are converted to +07:00; naive ones are taken as local time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=VIETNAM_TZ)
    return value.astimezone(VIETNAM_TZ)


def _build(
    y: str, m: str, d: str, hh: str | None = None, mm: str | None = None, ss: str | None = None
) -> datetime | None:
    try:
        day = date(int(y), int(m), int(d))
        clock = time(int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return datetime.combine(day, clock)


def parse_iso(value: str) -> tuple[datetime, bool] | None:
    """An ISO 8601 date or date-time (`2025-05-12`, `...T07:30:00`, `...000Z`, `+07:00`)."""
    match = _ISO.search(value.strip())
    if not match:
        return None
    parsed = _build(match["y"], match["m"], match["d"], match["H"], match["M"], match["S"])
    if parsed is None:
        return None
    offset = match["tz"]
    if offset:
        if offset.upper() == "Z":
            parsed = parsed.replace(tzinfo=UTC)
        else:
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            parsed = parsed.replace(tzinfo=timezone(sign * delta))
    return to_vietnam_time(parsed), match["H"] is not None


def _time_near(text: str, start: int, end: int) -> tuple[str, str] | None:
    window_start = max(0, start - _TIME_WINDOW)
    before = text[window_start:start]
    after = text[end : end + _TIME_WINDOW]
    for chunk in (after, before):
        found = _TIME.search(chunk)
        if found:
            return found["H"], found["M"]
    return None


def find_date(text: str, lang: str | None = None) -> tuple[datetime, bool, tuple[int, int]] | None:
    """The first date in a short piece of text, with whether it had a time and its span.

    Knows the Vietnamese layouts (`14:34, 17/03/2025`, `Thứ Hai, 17/03/2025 14:34`,
    `17/03/2025 - 14:34`, `ngày 20 tháng 05 năm 2025`), ISO dates, and, for short text,
    whatever dateparser reads in `lang` (`25 апреля 2025 г.`, `March 17, 2025`).
    """
    for pattern in (_VI_WORDS, _NUMERIC_DMY):
        match = pattern.search(text)
        if not match:
            continue
        clock = _time_near(text, match.start(), match.end())
        parsed = _build(match["y"], match["m"], match["d"], *(clock or (None, None)))
        if parsed is not None:
            return to_vietnam_time(parsed), clock is not None, match.span()
    iso = _ISO.search(text)
    if iso:
        parsed_iso = parse_iso(iso.group(0))
        if parsed_iso:
            return parsed_iso[0], parsed_iso[1], iso.span()
    stripped = text.strip()
    if stripped and len(stripped) <= DATEPARSER_MAX_CHARS and any(ch.isdigit() for ch in stripped):
        parsed_free = _dateparser_read(stripped, lang)
        if parsed_free is not None and MIN_YEAR <= parsed_free.year <= MAX_YEAR:
            has_time = _TIME.search(stripped) is not None
            return to_vietnam_time(parsed_free), has_time, (0, len(text))
    return None


def _dateparser_read(text: str, lang: str | None) -> datetime | None:
    """dateparser in the page's language; its own (slow) language detection only when the
    language is unknown to it. Text without a year is not tried at all."""
    if not _YEAR.search(text):
        return None
    settings = {"STRICT_PARSING": True, "DATE_ORDER": "DMY"}
    parsed: datetime | None
    if lang:
        try:
            parsed = dateparser.parse(text, languages=[lang], settings=settings)
            return parsed
        except ValueError as exc:  # a language dateparser does not know
            logger.debug("dateparser has no language %r: %s", lang, exc)
    parsed = dateparser.parse(text, settings=settings)
    return parsed


def parse_date_text(text: str, lang: str | None = None) -> tuple[datetime, bool] | None:
    found = find_date(text, lang)
    return (found[0], found[1]) if found else None


def date_from_url(url: str) -> DateCandidate | None:
    """A full date in the URL path (`/2025/05/12/`, `-20250512`); a bare `yyyymm` is not one."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DATE.finditer(path):
        parsed = _build(match["y"], match["m"], match["d"])
        if parsed is not None:
            return DateCandidate(to_vietnam_time(parsed), False, "url")
    return None


def date_from_image_url(url: str) -> DateCandidate | None:
    """The upload time in an image's file name, in Vietnam time (see the module notes)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    local = _IMAGE_LOCAL_STAMP.search(name)
    if local:
        parsed = _build(local["y"], local["m"], local["d"], local["H"], local["M"], local["S"])
        return DateCandidate(to_vietnam_time(parsed), True, IMAGE_SOURCE) if parsed else None
    epoch = _IMAGE_EPOCH_STAMP.match(name)
    folder = _IMAGE_FOLDER_DATE.search(path)
    if epoch and folder:
        stamp = to_vietnam_time(datetime.fromtimestamp(int(epoch["ms"]) / 1000, UTC))
        # Only a stamp that agrees with the dated folder is an upload time, not an id.
        if (stamp.year, stamp.month, stamp.day) == tuple(int(folder[k]) for k in "ymd"):
            return DateCandidate(stamp, True, IMAGE_SOURCE)
    return None


def choose_published(candidates: list[DateCandidate]) -> DateCandidate | None:
    """The most trusted candidate, refined by a timed candidate for the same day.

    A JSON-LD date without a time and a meta or byline time on the same day give that
    day at that time (the source stays the one that carried the time). Failing that, the
    latest image upload stamp of that day gives the time, to the minute.
    """
    dated = [c for c in candidates if c.source != IMAGE_SOURCE]
    if not dated:
        return None
    rank = {source: i for i, source in enumerate(SOURCE_ORDER)}
    ordered = sorted(dated, key=lambda c: rank.get(c.source, len(rank)))
    best = ordered[0]
    if best.has_time:
        return best
    for other in ordered[1:]:
        if other.has_time and other.value.date() == best.value.date():
            return other
    same_day = [
        c.value
        for c in candidates
        if c.source == IMAGE_SOURCE and c.value.date() == best.value.date()
    ]
    if same_day:
        latest = max(same_day).replace(second=0, microsecond=0)
        return DateCandidate(latest, True, IMAGE_SOURCE)
    return best
