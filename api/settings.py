"""All settings in one place: environment variables prefixed `POLICYQA_` (or a `.env` file).

Lower layers never read the environment; entry points build a `Settings` and pass plain
values down. State lives under `home` (`$POLICYQA_HOME`, default `./data`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POLICYQA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    home: Path = Path("data")
    log_level: str = "INFO"

    # The article store: SQLite under home by default; a postgresql:// URL puts it in
    # PostgreSQL, shared by crawlers, indexers and API workers on any number of hosts.
    store_url: str | None = None

    # Embeddings: a built-in profile ("gemma", "e5-small") or a sentence-transformers
    # model name or local directory.
    embedder: str = "gemma"
    # Matryoshka truncation (gemma: 768, 512, 256 or 128); None keeps the model's size.
    embedding_dimensions: int | None = None
    embed_batch_size: int = 16
    # Processes that chunk and tokenize articles while indexing (large builds only);
    # None: one per core, at most 4.
    index_workers: int | None = None

    # Vector backend: embedded FAISS by default, Milvus for scale-out.
    vector_backend: Literal["faiss", "milvus"] = "faiss"
    milvus_uri: str | None = None  # default: Milvus Lite file under home
    faiss_approximate_threshold: int = 50_000
    faiss_approximate_kind: Literal["hnsw", "ivf"] = "hnsw"

    # Crawler.
    sources_file: Path | None = None  # default: the bundled crawler/sources.toml
    user_agent: str = "policyqa-crawler/0.1 (+https://github.com/policyqa/policyqa)"
    crawl_delay_seconds: float = 1.0
    crawl_concurrency: int = 4
    fetch_timeout_seconds: float = 20.0
    max_page_bytes: int = 8_000_000
    proxy: str | None = None

    # Optional generative answers through any OpenAI-compatible endpoint.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = 30.0
    # Whether the evidence answers: the profile's support threshold, or the refusal model
    # fitted for the profile (`policyqa eval --fit-refusal`; docs/design-notes.md says
    # why the threshold is the default).
    refusal: Literal["threshold", "model"] = "threshold"

    # API.
    api_keys: list[SecretStr] = Field(default_factory=list)
    rate_limit_per_minute: int = 120
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = 64_000
    request_timeout_seconds: float = 60.0
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
    # (a JSON list; "*" trusts everyone). Empty: forwarded headers are ignored.
    trusted_proxies: list[str] = Field(default_factory=list)
    # A client must send its request line and headers, then its body, within these.
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    # Simultaneous connections from one address (trusted proxies are exempt).
    max_connections_per_client: int = 32

    @property
    def store_path(self) -> Path:
        return self.home / "articles.sqlite"

    @property
    def store_location(self) -> Path | str:
        """Where the article store is: the PostgreSQL URL when set, else the SQLite file."""
        return self.store_url or self.store_path

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def embed_cache_path(self) -> Path:
        return self.home / "embed_cache.sqlite"

    @property
    def crawl_lock_path(self) -> Path:
        return self.home / "crawl.lock"

    @property
    def gemma_model_dir(self) -> Path:
        """Where `make models` puts EmbeddingGemma-300M (a sentence-transformers directory)."""
        return self.models_dir / "embeddinggemma-300m"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
