"""What every template family answers: how its URLs look (articles, sections, tags, images,
the removed-story page), how it marks up an article page, a listing entry and a captioned
image, and how it publishes feeds and sitemaps. `demo.site.SiteBuilder` asks the family of
an article (for its page) or of a host (for the host's own pages) and never branches on
which family it is."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from demo.markup import esc, slugify
from demo.profiles import FamilyName

if TYPE_CHECKING:
    from demo.corpus import CorpusArticle
    from demo.site import SiteBuilder


class SiteFamily(ABC):
    """One CMS's templates and URL schemes."""

    name: ClassVar[FamilyName]
    # The site search the top bar posts to (and robots.txt disallows).
    search_path: ClassVar[str] = "/tim-kiem"
    # The "latest news" listing, for families that have one.
    latest_path: ClassVar[str | None] = None
    # Whether a host of this family serves several languages (one tree per language).
    multilingual: ClassVar[bool] = False
    # Whether a removed story answers 200 with a "not found" page (a soft 404).
    serves_soft_404: ClassVar[bool] = True

    # ----- URLs -------------------------------------------------------------------------
    @abstractmethod
    def owns(self, host: str, path: str) -> bool:
        """Whether an article URL with this host and path is one of this family's."""

    def section_slug(self, path: str, section: str) -> str:
        """The section segment of an article's URLs."""
        return slugify(section)

    @abstractmethod
    def soft_404_path(self) -> str: ...

    @abstractmethod
    def section_path(self, slug: str, page: int, lang: str) -> tuple[str, str]:
        """(path, query) of a section listing page; each family paginates its own way."""

    @abstractmethod
    def tag_path(self, host: str, slug: str, lang: str) -> str: ...

    @abstractmethod
    def image_url(self, a: CorpusArticle, i: int) -> str: ...

    # ----- markup -----------------------------------------------------------------------
    def caption_block(self, img: str, caption: str) -> str:
        """An image with its caption, the way this family marks captions up."""
        return f'<figure class="image"><img src="{esc(img)}" alt=""><figcaption>{esc(caption)}</figcaption></figure>'

    @abstractmethod
    def render_article(self, site: SiteBuilder, a: CorpusArticle) -> str: ...

    def planted_pitfalls(self, a: CorpusArticle) -> list[str]:
        """The pitfalls this family's page of `a` carries by itself."""
        return []

    def extra_pages(self, site: SiteBuilder, a: CorpusArticle, modified: datetime) -> None:
        """Copies of an article page the family also serves (none by default)."""
        return None

    def listing_item(self, i: int, a: CorpusArticle) -> str:
        return (f'<div class="news-item"><h3><a href="{esc(a.url)}">{esc(a.title)}</a></h3>'
                f'<p class="sapo">{esc(a.sapo)}</p></div>')  # fmt: skip

    # ----- feeds and sitemaps -------------------------------------------------------------
    @abstractmethod
    def write_feeds(self, site: SiteBuilder, host: str) -> list[str]: ...

    def sitemap_bucket(self, a: CorpusArticle) -> str:
        """The period whose article sitemap lists `a`."""
        return f"{a.published:%Y-%m}"

    def sitemap_path(self, bucket: str) -> str:
        return f"/sitemaps/articles-{bucket}.xml"

    def sitemap_lastmod(self, a: CorpusArticle) -> str:
        return a.published.isoformat()

    @abstractmethod
    def write_extra_sitemap(
        self, site: SiteBuilder, host: str, articles: list[CorpusArticle]
    ) -> tuple[str, str]:
        """The sitemap beside the per-period ones: (path, lastmod) for the index."""

    def robots_sitemaps(self, host: str) -> list[str]:
        return [f"https://{host}/sitemap.xml"]


class NewspaperFamily(SiteFamily):
    """A provincial paper's CMS: Vietnamese only, feeds per section, a categories sitemap."""

    home_feed_paths: ClassVar[tuple[str, ...]] = ("/rss/home.rss",)
    article_pattern: ClassVar[re.Pattern[str]]

    def owns(self, host: str, path: str) -> bool:
        return bool(self.article_pattern.match(path))

    def section_feed_path(self, slug: str) -> str:
        return f"/rss/{slug}.rss"

    def write_feeds(self, site: SiteBuilder, host: str) -> list[str]:
        feeds = []
        name = site.profile(host).name
        articles = site.by_host[host]
        for path in self.home_feed_paths:
            feeds.append(path)
            site.tree.put(host, path, site.rss(host, name, f"https://{host}/", articles[:8], "vi"),
                          kind="feed", ctype="application/rss+xml", modified=site.built_at)  # fmt: skip
        for slug in sorted({a.section_slug for a in articles}):
            path = self.section_feed_path(slug)
            feeds.append(path)
            items = [a for a in articles if a.section_slug == slug]
            site.tree.put(host, path, site.rss(host, name, f"https://{host}/", items, "vi"),
                          kind="feed", ctype="application/rss+xml", modified=site.built_at)  # fmt: skip
        return feeds

    def write_extra_sitemap(
        self, site: SiteBuilder, host: str, articles: list[CorpusArticle]
    ) -> tuple[str, str]:
        sections = sorted({a.section_slug for a in articles})
        entries = [
            f"<url><loc>https://{host}{self.section_path(s, 1, 'vi')[0]}</loc></url>"
            for s in sections
        ]
        site.tree.put(host, "/sitemaps/categories.xml", site.urlset(entries), kind="sitemap",
                      ctype="application/xml", modified=site.built_at, article_ids=[])  # fmt: skip
        return "/sitemaps/categories.xml", site.built_at.isoformat()
