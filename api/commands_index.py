"""`policyqa index`: bring the index up to date with the article store."""

from __future__ import annotations

import os
import sys

import typer

from api.settings import Settings


def build_index(settings: Settings) -> int:
    """Update the index incrementally; one summary line at the end. Returns the exit code."""
    from api.services import load_embedder
    from index.build import update_index

    embedder = load_embedder(settings)
    report = update_index(
        settings.store_location,
        settings.index_dir,
        embedder,
        backend=settings.vector_backend,
        milvus_uri=settings.milvus_uri or str(settings.home / "milvus.db"),
        approximate_threshold=settings.faiss_approximate_threshold,
        approximate_kind=settings.faiss_approximate_kind,
        embed_batch_size=settings.embed_batch_size,
        workers=settings.index_workers or min(4, os.cpu_count() or 1),
        progress=sys.stderr.isatty(),
    )
    typer.echo(
        f"articles: {report.articles_new} new, {report.articles_changed} changed, "
        f"{report.articles_deleted} deleted, {report.articles_unchanged} unchanged; "
        f"chunks: {report.chunks_embedded} embedded, {report.chunks_reused} reused "
        f"({report.chunks} in the index); sentences: {report.sentences_embedded} embedded, "
        f"{report.sentences_reused} reused; {report.seconds:.1f}s; "
        f"version {report.version}{' (already up to date)' if report.up_to_date else ''}"
    )
    return 0
