"""The `hashing` embedder profile (load tests only): deterministic, 768 dimensions, lexical."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.embed import HashingEmbedder, base_embedder, load_embedder


def test_the_profile_is_deterministic_normalised_and_lexical(tmp_path: Path) -> None:
    embedder = base_embedder("hashing", models_dir=tmp_path)
    assert (embedder.name, embedder.dimensions) == ("hashing-768", 768)
    texts = [
        "Lâm Đồng xóa nhà tạm trước ngày 31/5/2025",
        "Lâm Đồng xóa nhà tạm, nhà dột nát",
        "Moscow and Hanoi discuss the metro",
    ]
    first, again = embedder.embed_passages(texts), HashingEmbedder().embed_passages(texts)
    assert first.shape == (3, 768) and first.dtype == np.float32
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
    query = embedder.embed_queries(["nhà tạm Lâm Đồng"])[0]
    assert query @ first[0] > query @ first[2] and query @ first[1] > query @ first[2]


def test_its_vectors_are_not_cached_on_disk(tmp_path: Path) -> None:
    cached = load_embedder("hashing", models_dir=tmp_path, cache_path=tmp_path / "cache.sqlite")
    cached.embed_passages(["một đoạn văn"])
    assert not (tmp_path / "cache.sqlite").exists()
