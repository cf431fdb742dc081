"""Crawler errors. Messages say what went wrong and what to do.

CrawlerError
├── SourcesError      the sources file is invalid (names the line and the key)
├── ImportFormatError an import file line is not a valid article (names the line)
├── StoreError        the article store cannot be opened or written
└── CrawlLockedError  another crawl holds the lock
"""


class CrawlerError(Exception):
    """Base class for crawler errors."""


class SourcesError(CrawlerError):
    pass


class ImportFormatError(CrawlerError):
    pass


class StoreError(CrawlerError):
    pass


class CrawlLockedError(CrawlerError):
    pass
