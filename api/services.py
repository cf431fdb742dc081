"""Building the heavy objects from settings, once: the embedder, the index handle and the
optional chat model. The CLI and the HTTP app both go through here, so they load the
same things the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.settings import Settings

if TYPE_CHECKING:
    from index.models import Embedder
    from index.reader import IndexHandle


def load_embedder(settings: Settings) -> Embedder:
    """The configured embedder (loads lazily: the model itself loads on first use)."""
    from index.embed import load_embedder as _load

    return _load(
        settings.embedder,
        models_dir=settings.models_dir,
        cache_path=settings.embed_cache_path,
        dimensions=settings.embedding_dimensions,
        batch_size=settings.embed_batch_size,
    )


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> IndexHandle:
    """A handle on the current index version; it follows new versions without a restart."""
    from index.reader import IndexHandle

    return IndexHandle(settings.index_dir, embedder or load_embedder(settings))


def load_chat_model(settings: Settings) -> object | None:
    """A langchain chat model when an OpenAI-compatible endpoint is configured, else None."""
    if not settings.llm_base_url:
        return None
    from qa.generative import chat_model_from_settings

    model: object = chat_model_from_settings(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "default",
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        timeout=settings.llm_timeout_seconds,
    )
    return model
