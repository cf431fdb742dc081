from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.build import BuildReport
from index.errors import EmbedderMismatchError, IndexNotBuiltError
from tests.fakes import HashingEmbedder
from tests.index.conftest import build_index, fill_store, make_article, open_handle


def test_no_index_yet_says_run_policyqa_index(index_dir: Path, embedder: HashingEmbedder) -> None:
    handle = open_handle(index_dir, embedder)  # building a handle never fails
    with pytest.raises(IndexNotBuiltError, match="run `policyqa index`"):
        handle.search("anything")


def test_another_embedder_is_refused(built: BuildReport, index_dir: Path) -> None:
    handle = open_handle(index_dir, HashingEmbedder(dimensions=32, name="other"))
    with pytest.raises(EmbedderMismatchError, match="fake-hashing-64.*other-32"):
        handle.search("cao tốc")


def test_info_for_health(built: BuildReport, index_dir: Path, embedder: HashingEmbedder) -> None:
    info = open_handle(index_dir, embedder).info()
    assert info["version"] == 1
    assert info["articles"] == 5 and info["chunks"] == 10
    assert info["embedder"] == embedder.name and info["dimensions"] == 64
    assert info["backend"] == "faiss" and info["built_at"]


def test_follows_a_new_version_without_restart(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    handle = open_handle(index_dir, embedder, check_interval=0)
    query = "hồ Tuyền Lâm khu du lịch quốc gia"
    assert all("Tuyền Lâm" not in h.chunk.text for h in handle.search(query, k=3))
    fill_store(store_path, [make_article("tuyen-lam", "Hồ Tuyền Lâm", [f"Dự án {query}."])])
    build_index(store_path, index_dir, embedder)
    assert handle.search(query, k=1)[0].article.title == "Hồ Tuyền Lâm"
    assert handle.info()["version"] == 2


def test_checks_current_at_most_once_per_interval(
    built: BuildReport,
    store_path: Path,
    index_dir: Path,
    embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handle = open_handle(index_dir, embedder, check_interval=3600)
    handle.search("cao tốc")
    stats = []
    real_stat = Path.stat

    def counting_stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if self.name == "CURRENT":
            stats.append(self)
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", counting_stat)
    for _ in range(20):
        handle.search("cao tốc")
    assert stats == []
    assert handle.info()["version"] == 1
