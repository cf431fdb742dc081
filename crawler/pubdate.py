"""Publication dates: parse the forms the sites use and pick the one to trust.

Every date is returned in Vietnam time (UTC+07:00). Naive values are local times
(the sites are Vietnamese; vietnam.vn's `Z` values are converted), and a date without
a time is midnight local time, flagged `has_time=False` so that a timed value for the
same day from another source can refine it.

Sources, in order of trust: JSON-LD `datePublished` ("jsonld"), `<meta>` tags such as
`article:published_time` ("meta"), the date shown next to the headline by a known
layout ("byline"), a date in the URL path ("url"), and a dateline in the body
("dateline": a line of its own, or, on a page that states no other date, the dateline a
story opens with, its missing year taken from the URL or a story image; see
`dateline_candidate`), and last the day htmldate finds for a page in no known layout ("htmldate":
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


# --------------------------------------------------------------------------- opening datelines

# A story that opens with its dateline: "HÀ GIANG, 12/5 – ...", "(Baohagiang.vn) Ngày 12/5,
# ...", "BHG - Ngày 12/5, ...", "HA GIANG, May 12 – ...", "ХАЗЯНГ, 12 мая – ...". The leader
# is an upper-case place name or the paper's tag (in parentheses, or initials and a dash); the date is followed by a dash, a comma or a
# colon. A date in a sentence with no such leader ("Sáng 17/3, UBND tỉnh ...") is when
# something happened, not when the story went out, so it is not read.
_OPENING_LEADER = re.compile(
    r"^\s*(?:\((?P<tag>[^()\d]{2,30})\)\s*[-–—:]?\s*"
    r"|(?P<initials>[A-ZĐ]{2,8})\s*[-–—]{1,2}\s+"
    r"|(?P<place>[A-ZÀ-ỸĐА-ЯЁІЇЄҐ][A-ZÀ-ỸĐА-ЯЁІЇЄҐ.'-]*(?:\s+[A-ZÀ-ỸĐА-ЯЁІЇЄҐ][A-ZÀ-ỸĐА-ЯЁІЇЄҐ.'-]*){0,3})"
    r"\s*(?:\([^()]{1,20}\))?\s*,\s*)"
    r"(?:(?:ngày|on)\s+)?",
    re.IGNORECASE,
)
_OPENING_END = re.compile(r"\s*(?:[-–—,:]|$)")
_OPENING_NUMERIC = re.compile(
    r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?(?![\d/])"
)
_OPENING_VI_WORDS = re.compile(
    r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,|năm)\s*(?P<y>\d{4}))?(?!\d)",
    re.IGNORECASE,
)
# A translated date ("May 12", "12 мая 2025"): a short run of letters and digits, read by
# dateparser in the page's language.
_OPENING_WORDS = re.compile(r"[^\W_][^-–—,:()]{1,22}?(?:,\s*\d{4})?(?=\s*(?:[-–—,:]|$))")
_UPPER_PLACE_MIN_LETTERS = 2


@dataclass(frozen=True)
class OpeningDateline:
    """The day and month a story's opening dateline names, and its year when it has one."""

    day: int
    month: int
    year: int | None


def _valid_day(day: int, month: int, year: int | None) -> bool:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29/2 stays possible
    except ValueError:
        return False
    return year is None or MIN_YEAR <= year <= MAX_YEAR


def opening_dateline(text: str, lang: str | None = None) -> OpeningDateline | None:
    """The dateline a story paragraph opens with (see `_OPENING_LEADER`), or None."""
    leader = _OPENING_LEADER.match(text)
    if leader is None:
        return None
    place = leader["place"] or leader["initials"]
    if place is not None and (
        not place.isupper() or sum(ch.isalpha() for ch in place) < _UPPER_PLACE_MIN_LETTERS
    ):
        return None  # "Theo kế hoạch, ..." is a sentence, not a place in capitals
    rest = text[leader.end() :]
    for pattern in (_OPENING_VI_WORDS, _OPENING_NUMERIC):
        found = pattern.match(rest)
        if found and _OPENING_END.match(rest, found.end()):
            day, month = int(found["d"]), int(found["m"])
            year = int(found["y"]) if found["y"] else None
            return OpeningDateline(day, month, year) if _valid_day(day, month, year) else None
    words = _OPENING_WORDS.match(rest)
    if words is None or not any(ch.isdigit() for ch in words.group(0)):
        return None
    return _read_words(words.group(0).strip(), lang)


def _read_words(chunk: str, lang: str | None) -> OpeningDateline | None:
    """ "May 12", "12 мая 2025 г." in `lang`; the year only when the text names one."""
    # Absolute dates only: "5 days ago" is relative to the day it is read, not a dateline.
    settings = {
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": "DMY",
        "PARSERS": ["absolute-time"],
    }
    try:
        parsed = dateparser.parse(chunk, languages=[lang] if lang else None, settings=settings)
    except ValueError as exc:  # a language dateparser does not know
        logger.debug("dateparser has no language %r: %s", lang, exc)
        return None
    if parsed is None:
        return None
    named_year = _YEAR.search(chunk)
    year = int(named_year.group(0)) if named_year else None
    if year is not None and year != parsed.year:
        return None
    if not _valid_day(parsed.day, parsed.month, year):
        return None
    return OpeningDateline(parsed.day, parsed.month, year)


def _url_year_month(url: str) -> tuple[int, int] | None:
    """The `yyyymm` folder of the hex-id CMS URLs (`/thoi-su/202505/slug-a1c93f0/`)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    found = re.search(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])/", path)
    return (int(found["y"]), int(found["m"])) if found else None


def dateline_candidate(
    dateline: OpeningDateline, urls: list[str], image_dates: list[DateCandidate]
) -> DateCandidate | None:
    """A "dateline" candidate for an opening dateline; a dateline without a year takes it
    from the page's own evidence of that month:

    1. the URL's `yyyymm` folder when its month is the dateline's month;
    2. else an upload stamp of a story image on the dateline's day and month (a story's
       images are uploaded the day it goes out).

    With neither, there is no date: a wrong year is worse than none.
    """
    year = dateline.year
    if year is None:
        for url in urls:
            folder = _url_year_month(url)
            if folder is not None and folder[1] == dateline.month:
                year = folder[0]
                break
    if year is None:
        same_day = sorted(
            c.value.year
            for c in image_dates
            if c.source == IMAGE_SOURCE
            and (c.value.month, c.value.day) == (dateline.month, dateline.day)
        )
        year = same_day[-1] if same_day else None
    if year is None:
        return None
    parsed = _build(str(year), str(dateline.month), str(dateline.day))
    return DateCandidate(to_vietnam_time(parsed), False, "dateline") if parsed else None
