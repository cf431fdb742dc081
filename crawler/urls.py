"""URL identity: one spelling per article, whatever link or copy led to it.

The same article is reachable under tracking parameters (`utm_*`, `zarsrc`, `fbclid`),
AMP copies (`/amp/...`, `....amp.html`, `?amp=1`), default ports, fragments and
doubled slashes. `canonicalize_url` folds those into one URL. It cannot know whether
`www.` and the bare host serve the same site, so the host is kept as written and the
page's `rel=canonical` settles that (see `crawler.extract`).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "zarsrc",
        "gidzl",
        "zalo_id",
        "ref_src",
        "cmpid",
        "spm",
        "share",
        "amp",
        "outputtype",
        "fb_action_ids",
        "fb_action_types",
        "fb_source",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path; everything else (spaces, non-ASCII) is escaped.
PATH_SAFE = "/%:@!$&'()*+,;=-._~"

_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"/amp/?$", re.IGNORECASE)
_AMP_EXTENSION = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
_MULTI_SLASH = re.compile(r"/{2,}")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
# Characters left as they are when a URL is shown in text; everything else is escaped,
# so a URL can never close a quote, a Markdown link or an HTML attribute around it.
DISPLAY_SAFE = "/%:?#=&+,;~-._!$@"


def is_web_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) URL with a host and no spaces or control
    characters: the only kind stored, indexed, linked or shown."""
    if not isinstance(url, str) or _UNSAFE_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def display_url(url: str) -> str:
    """`url` as safe text: http(s) only (else ""), without a user:password part, every
    character that could end the text around it percent-escaped."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    netloc = parts.netloc.rpartition("@")[2]
    shown = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    return quote(shown, safe=DISPLAY_SAFE) if is_web_url(shown) else ""


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_path(path: str) -> str:
    path = _MULTI_SLASH.sub("/", path or "/")
    path = _AMP_PREFIX.sub("", path)
    if _AMP_SUFFIX.search(path):
        path = _AMP_SUFFIX.sub("/", path)
    path = _AMP_EXTENSION.sub("", path)
    path = quote(path, safe=PATH_SAFE)
    path = _PERCENT_ESCAPE.sub(lambda m: m.group(0).upper(), path)
    return path or "/"


def _ascii_host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        logger.debug("host %r is not IDNA-encodable; kept as written", host)
        return host


def _host_and_port(scheme: str, netloc: str) -> str:
    # A user:password part is dropped: it is no part of an article's identity, and a
    # link that carries one would show it to every reader.
    hostport = netloc.rpartition("@")[2]
    host, port = hostport, ""
    if not hostport.endswith("]"):  # an IPv6 literal keeps its colons
        name, sep, maybe_port = hostport.rpartition(":")
        if sep and maybe_port.isdigit():
            host, port = name, maybe_port
    host = _ascii_host(host.lower().rstrip("."))
    if port and int(port) == DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{host}:{port}" if port else host


def canonicalize_url(url: str) -> str:
    """One spelling of `url`: lower-case scheme and host, no default port, no fragment,
    no user:password, no tracking parameters, AMP forms collapsed, remaining query sorted.

    >>> canonicalize_url("HTTPS://BaoHungYen.vn:443/amp/tin-3179979.html?utm_source=zalo#top")
    'https://baohungyen.vn/tin-3179979.html'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = _host_and_port(scheme, parts.netloc)
    path = _canonical_path(parts.path)
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def site_of(url: str) -> str:
    """The site key of a URL: its host, lower case, without port or a leading `www.`.

    >>> site_of("https://www.vietnam.vn/en/abc")
    'vietnam.vn'
    """
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def resolve_url(page_url: str, href: str) -> str:
    """An absolute URL for `href` found on the page at `page_url`.

    Resolution is against the page URL, not a `<base href>`: some CMSs point `<base>` at a
    static folder, which would send relative article links to the wrong place.
    """
    return urljoin(page_url, href.strip())


def same_site(url_a: str, url_b: str) -> bool:
    return site_of(url_a) == site_of(url_b)


# Sites that publish a story's language versions under one slug: /<language>/<slug>.
_LANGUAGE_FOLDER_SITES = frozenset({"vietnam.vn"})
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$")


def language_version_key(url: str) -> str | None:
    """What the language versions of one story on a multilingual site share
    (`vietnam.vn/<slug>` for www.vietnam.vn/en/<slug> and /ru/<slug>), or None for a URL
    that is not such a version.

    >>> language_version_key("https://www.vietnam.vn/uk/an-giang-hon-760-000")
    'vietnam.vn/an-giang-hon-760-000'
    >>> language_version_key("https://baolamdong.vn/xa-hoi/lam-dong-abc.html") is None
    True
    """
    site = site_of(url)
    if site not in _LANGUAGE_FOLDER_SITES:
        return None
    segments = [s for s in urlsplit(url.strip()).path.split("/") if s]
    if len(segments) != 2 or not _LANGUAGE_FOLDER.match(segments[0].lower()):
        return None
    return f"{site}/{segments[1].lower()}"
