"""The sources file: which sites to crawl and how to reach them (TOML).

```toml
[network]                       # optional
connect_to = { "baolamdong.vn" = "127.0.0.1:8765" }   # plain HTTP to this address, real Host header
crawl_delay = 0.05              # per-host delay override (robots.txt Crawl-delay wins when larger)
concurrency = 8                 # optional override of the global concurrency limit

[[site]]
domain = "baolamdong.vn"        # required
start_urls = ["https://baolamdong.vn/sitemap.xml"]   # required: sitemaps, feeds, section pages
aliases = ["www.baolamdong.vn"] # optional: other hosts serving the same site
province = "Lâm Đồng"           # optional: default province of its articles
lang = "vi"                     # optional: default language of its articles
profile = "hexcms"              # optional: hexcms | cardcms | detailcms | vietnamvn | generic
article_patterns = ['/\\d{6}/[a-z0-9-]+-[0-9a-f]{6,7}/?$']   # optional regexes on the URL path
max_listing_pages = 3           # optional: how many pages of a section listing to follow
```

A bad file raises SourcesError naming the file, the line and the key.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crawler.errors import SourcesError

DEFAULT_SOURCES_PATH = Path(__file__).with_name("sources.toml")

Profile = Literal["hexcms", "cardcms", "detailcms", "vietnamvn", "generic"]

_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def _check_host(value: str) -> str:
    host = value.strip().lower().rstrip(".")
    if not _HOST.match(host):
        raise ValueError(
            f"{value!r} is not a host name (write it without scheme or path, e.g. baolamdong.vn)"
        )
    return host


class _NetworkModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    connect_to: dict[str, str] = Field(default_factory=dict)
    crawl_delay: float | None = Field(default=None, ge=0)
    concurrency: int | None = Field(default=None, ge=1, le=64)

    @field_validator("connect_to")
    @classmethod
    def _addresses(cls, value: dict[str, str]) -> dict[str, str]:
        checked: dict[str, str] = {}
        for host, address in value.items():
            name, sep, port = address.rpartition(":")
            if not sep or not port.isdigit() or not name:
                raise ValueError(
                    f"{host!r} = {address!r}: write the address as HOST:PORT, e.g. 127.0.0.1:8765"
                )
            checked[_check_host(host)] = address
        return checked


class _SiteModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    domain: str
    aliases: list[str] = Field(default_factory=list)
    start_urls: list[str] = Field(min_length=1)
    province: str | None = None
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(-[a-z]{2,4})?$")
    profile: Profile | None = None
    article_patterns: list[str] = Field(default_factory=list)
    max_listing_pages: int = Field(default=3, ge=1, le=1000)

    @field_validator("domain")
    @classmethod
    def _domain_host(cls, value: str) -> str:
        return _check_host(value)

    @field_validator("aliases")
    @classmethod
    def _alias_hosts(cls, value: list[str]) -> list[str]:
        return [_check_host(alias) for alias in value]

    @field_validator("article_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(
                    f"{pattern!r} is not a valid regular expression: {error}"
                ) from error
        return value

    @field_validator("start_urls")
    @classmethod
    def _start_urls_on_site(cls, value: list[str], info: ValidationInfo) -> list[str]:
        domain = info.data.get("domain")
        hosts = {domain, *info.data.get("aliases", [])}
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
            if domain and parts.hostname.lower() not in hosts:
                raise ValueError(
                    f"{url!r} is not on {domain}; add its host to `aliases` "
                    "or list it under its own [[site]]"
                )
        return value


class _SourcesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: _NetworkModel = Field(default_factory=_NetworkModel)
    site: list[_SiteModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_domains(self) -> _SourcesModel:
        seen: set[str] = set()
        for site in self.site:
            for host in (site.domain, *site.aliases):
                if host in seen:
                    raise ValueError(f"host {host!r} is listed under more than one [[site]]")
                seen.add(host)
        return self


@dataclass(frozen=True)
class SiteConfig:
    """One site to crawl."""

    domain: str
    start_urls: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    province: str | None = None
    lang: str | None = None
    profile: str | None = None
    article_patterns: tuple[re.Pattern[str], ...] = ()
    max_listing_pages: int = 3

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset((self.domain, *self.aliases))

    def owns(self, url: str) -> bool:
        """Whether `url` is on this site (its domain or an alias)."""
        return (urlsplit(url).hostname or "").lower() in self.hosts

    def looks_like_article(self, url: str) -> bool:
        """Whether the URL path matches an article pattern (every URL does when none are set)."""
        if not self.article_patterns:
            return True
        path = urlsplit(url).path
        return any(pattern.search(path) for pattern in self.article_patterns)

    def extraction_defaults(self) -> dict[str, str]:
        """Site-level values an extracted article falls back on."""
        defaults = {"site": self.domain}
        if self.province:
            defaults["province"] = self.province
        if self.lang:
            defaults["lang"] = self.lang
        return defaults


@dataclass(frozen=True)
class NetworkConfig:
    connect_to: dict[str, str] = field(default_factory=dict)
    crawl_delay: float | None = None
    concurrency: int | None = None


@dataclass(frozen=True)
class Sources:
    sites: tuple[SiteConfig, ...]
    network: NetworkConfig = field(default_factory=NetworkConfig)
    origin: str = "<sources>"

    def select(self, domains: Iterable[str]) -> Sources:
        """Only the named sites (by domain or alias); an unknown name is a SourcesError."""
        wanted = [_normalise_domain(domain) for domain in domains]
        if not wanted:
            return self
        chosen: list[SiteConfig] = []
        for name in wanted:
            site = self.site_for_host(name)
            if site is None:
                known = ", ".join(s.domain for s in self.sites)
                raise SourcesError(f"--site {name}: not in {self.origin}; known sites: {known}")
            if site not in chosen:
                chosen.append(site)
        return Sources(sites=tuple(chosen), network=self.network, origin=self.origin)

    def site_for_host(self, host: str) -> SiteConfig | None:
        host = host.lower().rstrip(".")
        for site in self.sites:
            if host in site.hosts:
                return site
        return None

    @property
    def allowed_private_hosts(self) -> frozenset[str]:
        """Site hosts that are literal addresses, which may be private or loopback.

        connect_to targets are not listed: each is an exception for the one host it
        names, and another host resolving to that address is still refused."""
        names: set[str] = set()
        for site in self.sites:
            for host in site.hosts:
                if _is_ip(host):
                    names.add(host)
        return frozenset(names)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _normalise_domain(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or value
    return value.rstrip("./")


def _line_of_key(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the key a validation error points at (or of its table)."""
    lines = text.splitlines()
    header_re = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
    table = str(loc[0]) if loc else ""
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    key = next((str(part) for part in loc[1:] if isinstance(part, str)), None)
    start: int | None = None
    seen = -1
    for number, line in enumerate(lines):
        header = header_re.match(line)
        if header and header.group(1) == table:
            seen += 1
            if index is None or seen == index:
                start = number
                break
    if start is None:
        if key is None and table:
            pattern = re.compile(rf"^\s*{re.escape(table)}\s*=")
            return next((n + 1 for n, line in enumerate(lines) if pattern.match(line)), None)
        return None
    if key is None:
        return start + 1
    key_re = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    for number in range(start + 1, len(lines)):
        if header_re.match(lines[number]):
            break
        if key_re.match(lines[number]):
            return number + 1
    return start + 1


def _describe_key(loc: tuple[int | str, ...]) -> str:
    """`start_urls` in [[site]] #2, or `network.connect_to`."""
    if len(loc) >= 2 and loc[0] == "site" and isinstance(loc[1], int):
        rest = ".".join(str(part) for part in loc[2:] if isinstance(part, str))
        table = f"[[site]] #{loc[1] + 1}"
        return f"key `{rest}` in {table}" if rest else table
    return f"key `{'.'.join(str(part) for part in loc)}`" if loc else "the top level"


def parse_sources(text: str, *, origin: str = "<sources>") -> Sources:
    """Parse and validate sources TOML; SourcesError names the line and the key."""
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourcesError(f"{origin}: not valid TOML: {error}") from error
    try:
        model = _SourcesModel.model_validate(raw)
    except ValidationError as error:
        # Unknown keys first: a misspelt key also shows up as a missing one.
        problems = sorted(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = problems[0]
        loc = tuple(first["loc"])
        line = _line_of_key(text, loc)
        where = f"{origin}, line {line}" if line else origin
        key = _describe_key(loc)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key (check its spelling against the documented keys)"
        elif first["type"] == "missing":
            message = "required key is missing"
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        raise SourcesError(f"{where}: {key}: {message}{more}") from error
    sites = tuple(
        SiteConfig(
            domain=site.domain,
            start_urls=tuple(site.start_urls),
            aliases=tuple(site.aliases),
            province=site.province,
            lang=site.lang,
            profile=site.profile,
            article_patterns=tuple(re.compile(p) for p in site.article_patterns),
            max_listing_pages=site.max_listing_pages,
        )
        for site in model.site
    )
    network = NetworkConfig(
        connect_to=dict(model.network.connect_to),
        crawl_delay=model.network.crawl_delay,
        concurrency=model.network.concurrency,
    )
    return Sources(sites=sites, network=network, origin=origin)


def load_sources(path: Path | None = None) -> Sources:
    """Read a sources file (the bundled default when `path` is None)."""
    path = Path(path) if path is not None else DEFAULT_SOURCES_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SourcesError(f"sources file not found: {path} (pass --sources FILE)") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesError(f"cannot read the sources file {path}: {error}") from error
    return parse_sources(text, origin=str(path))
