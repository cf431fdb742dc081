from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from crawler.models import Article
from index import build as build_module
from index.build import BuildReport, update_index
from index.catalog import Catalog
from index.errors import IndexError_
from index.faiss_store import FaissStore
from index.mentions import period_end
from index.reader import current_version, version_dir
from tests.fakes import HashingEmbedder
from tests.index.conftest import (
    CORPUS,
    VN,
    build_index,
    delete_from_store,
    fake_keyword_tokens,
    fill_store,
    make_article,
    open_handle,
)

NEW_ARTICLE = make_article(
    "dien-mat-troi",
    "Lâm Đồng phát triển điện mặt trời",
    ["Tỉnh Lâm Đồng phê duyệt 3 dự án điện mặt trời áp mái.", "Dự án vận hành từ 1/1/2026."],
)


def _passages_embedded(embedder: HashingEmbedder) -> int:
    return sum(n for kind, n in embedder.calls if kind == "passage")


def test_first_build_indexes_everything(
    built: BuildReport, index_dir: Path, embedder: HashingEmbedder
) -> None:
    assert built.version == 1 and built.previous_version is None
    assert built.articles_new == len(CORPUS) and built.articles_unchanged == 0
    assert built.chunks == 10 and built.chunks_embedded == 10 and built.chunks_reused == 0
    assert built.full_rebuild
    manifest = json.loads((version_dir(index_dir, 1) / "manifest.json").read_text())
    assert manifest["embedder"] == embedder.name
    assert manifest["dimensions"] == 64
    assert manifest["articles"] == 5 and manifest["chunks"] == 10
    assert manifest["backend"] == "faiss"
    assert manifest["vector_index"]["kind"] == "flat"
    assert len(manifest["corpus_state"]) == 64
    assert current_version(index_dir) == 1


def test_second_run_without_changes_is_a_no_op(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    calls = _passages_embedded(embedder)
    report = build_index(store_path, index_dir, embedder)
    assert report.up_to_date and report.version == 1
    assert report.articles_unchanged == len(CORPUS)
    assert _passages_embedded(embedder) == calls
    assert "up to date" in report.summary()


def test_incremental_update_embeds_only_new_text(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    first = FaissStore.load(version_dir(index_dir, 1))
    changed = CORPUS[1].model_copy(
        update={
            "paragraphs": [CORPUS[1].paragraphs[0], "Diện tích tái canh tăng lên 6.000 ha."],
            "text": "",
        }
    )
    changed = type(changed).model_validate(changed.model_dump(exclude={"text"}))
    fill_store(store_path, [NEW_ARTICLE, changed])
    delete_from_store(store_path, "https://hanoimoi.vn/ha-noi-giao-thong.html")
    calls = _passages_embedded(embedder)

    report = build_index(store_path, index_dir, embedder)

    assert report.version == 2 and report.previous_version == 1
    assert (report.articles_new, report.articles_changed, report.articles_deleted) == (1, 1, 1)
    assert report.articles_unchanged == 3
    # New article: 2 chunks; changed article: 1 new paragraph, 1 reused by its text. The
    # same 3 paragraphs are 3 new sentences (one sentence each); all others are reused.
    assert report.chunks_embedded == 3
    assert report.sentences_embedded == 3
    assert report.sentences_reused == report.sentences - 3
    assert _passages_embedded(embedder) - calls == 3 + 3
    assert report.chunks == 10 - 2 + 2 + 0
    assert report.chunks_reused == report.chunks - 3
    second = FaissStore.load(version_dir(index_dir, 2))
    # Unchanged articles keep their chunk ids and vectors.
    kept = np.intersect1d(first.ids(), second.ids())
    assert len(kept) >= 6
    assert np.allclose(first.reconstruct(kept), second.reconstruct(kept))

    handle = open_handle(index_dir, embedder)
    assert handle.info()["version"] == 2
    assert all(h.article.lang != "ru" for h in handle.search("метро Ханоя", k=10))
    assert handle.search("điện mặt trời áp mái", k=1)[0].article.url == NEW_ARTICLE.url
    assert any("6.000 ha" in h.chunk.text for h in handle.search("tái canh 6.000 ha", k=3))


def test_keeps_the_last_two_versions(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    for n, slug in enumerate(["a", "b", "c"]):
        fill_store(store_path, [make_article(f"extra-{slug}", f"Bài {slug}", [f"Nội dung {n}."])])
        build_index(store_path, index_dir, embedder)
    names = sorted(p.name for p in (index_dir / "versions").iterdir())
    assert names == ["3", "4"]
    assert current_version(index_dir) == 4


def test_another_embedder_rebuilds_everything(
    built: BuildReport, store_path: Path, index_dir: Path
) -> None:
    other = HashingEmbedder(dimensions=32, name="other")
    report = build_index(store_path, index_dir, other)
    assert report.full_rebuild and report.chunks_embedded == 10 and report.version == 2
    assert open_handle(index_dir, other).info()["dimensions"] == 32


def test_a_concurrent_build_is_refused(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    from filelock import FileLock

    with (
        FileLock(str(index_dir / "build.lock")),
        pytest.raises(IndexError_, match="already updating"),
    ):
        build_index(store_path, index_dir, embedder)


def test_missing_store_says_what_to_do(index_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="policyqa crawl"):
        build_index(tmp_path / "none.sqlite", index_dir, HashingEmbedder(64))


class _FailingEmbedder(HashingEmbedder):
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model crashed")


def test_failure_mid_build_keeps_the_previous_version_serving(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    handle = open_handle(index_dir, embedder, check_interval=0)
    before = [h.chunk.text for h in handle.search("cao tốc", k=3)]
    fill_store(store_path, [NEW_ARTICLE])
    failing = _FailingEmbedder(dimensions=64)
    with pytest.raises(RuntimeError, match="model crashed"):
        build_index(store_path, index_dir, failing)
    assert current_version(index_dir) == 1
    assert [h.chunk.text for h in handle.search("cao tốc", k=3)] == before
    assert sorted(p.name for p in (index_dir / "versions").iterdir()) == ["1"]
    # The next run recovers.
    report = build_index(store_path, index_dir, embedder)
    assert report.version == 2 and report.articles_new == 1
    assert handle.search("điện mặt trời", k=1)[0].article.url == NEW_ARTICLE.url


_SLOW_BUILD = """
import sys, time
from datetime import date, datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.index.conftest import build_index
from tests.fakes import HashingEmbedder

class Slow(HashingEmbedder):
    def embed_passages(self, texts):
        Path({marker!r}).write_text("embedding")
        time.sleep(60)
        return super().embed_passages(texts)

build_index(Path({store!r}), Path({index!r}), Slow(dimensions=64))
"""


def test_killed_build_leaves_the_previous_version_and_the_next_run_recovers(
    built: BuildReport,
    store_path: Path,
    index_dir: Path,
    embedder: HashingEmbedder,
    tmp_path: Path,
) -> None:
    fill_store(store_path, [NEW_ARTICLE])
    marker = tmp_path / "marker"
    script = _SLOW_BUILD.format(
        root=str(Path(__file__).resolve().parents[2]),
        marker=str(marker),
        store=str(store_path),
        index=str(index_dir),
    )
    process = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the build process exited early"
            assert time.monotonic() < deadline, "the build never started embedding"
            time.sleep(0.05)
        assert any(p.name.startswith(".building-") for p in (index_dir / "versions").iterdir())
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert current_version(index_dir) == 1
    handle = open_handle(index_dir, embedder)
    assert handle.search("cao tốc", k=1)
    report = build_index(store_path, index_dir, embedder)
    assert report.version == 2 and report.articles_new == 1
    assert sorted(p.name for p in (index_dir / "versions").iterdir()) == ["1", "2"]


def test_policyqa_index_command_prints_one_summary_line(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from api import commands_index, services
    from api.settings import get_settings

    settings = get_settings()
    fill_store(settings.store_path, CORPUS)
    monkeypatch.setattr(services, "load_embedder", lambda _settings: HashingEmbedder(64))
    assert commands_index.build_index(settings) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    parts = out[0].split("; ")
    # The command runs the packaged chunker: how many chunks it makes is its own business.
    assert parts[0] == "articles: 5 new, 0 changed, 0 deleted, 0 unchanged"
    assert re.fullmatch(r"chunks: (\d+) embedded, 0 reused \(\1 in the index\)", parts[1])
    assert parts[2].startswith("sentences: ") and parts[2].endswith(" embedded, 0 reused")
    assert parts[-1] == "version 1"


def test_approximate_index_past_the_threshold_stays_correct_across_updates(
    store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    fill_store(store_path, CORPUS[:2])
    first = build_index(store_path, index_dir, embedder, approximate_threshold=6)
    assert first.chunks == 4
    assert FaissStore.load(version_dir(index_dir, 1)).kind == "flat"
    # Crossing the threshold switches to HNSW.
    fill_store(store_path, CORPUS[2:])
    build_index(store_path, index_dir, embedder, approximate_threshold=6)
    second = FaissStore.load(version_dir(index_dir, 2))
    assert second.kind == "hnsw" and len(second) == 10
    # Only additions: the HNSW graph is carried over and extended.
    fill_store(store_path, [NEW_ARTICLE])
    build_index(store_path, index_dir, embedder, approximate_threshold=6)
    third = FaissStore.load(version_dir(index_dir, 3))
    assert third.kind == "hnsw" and len(third) == 12
    assert np.allclose(third.reconstruct(second.ids()), second.reconstruct(second.ids()))
    # A deletion: rebuilt from the vectors that stay.
    delete_from_store(store_path, NEW_ARTICLE.url)
    build_index(store_path, index_dir, embedder, approximate_threshold=6)
    fourth = FaissStore.load(version_dir(index_dir, 4))
    assert np.array_equal(fourth.ids(), second.ids())
    handle = open_handle(index_dir, embedder)
    assert handle.search("cà phê tái canh", k=1)[0].article.url == CORPUS[1].url


def test_a_damaged_current_version_is_rebuilt(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    (version_dir(index_dir, 1) / "vectors.faiss").unlink()
    report = build_index(store_path, index_dir, embedder)
    assert report.version == 2 and report.full_rebuild and report.chunks_embedded == 10
    assert open_handle(index_dir, embedder).search("cao tốc", k=1)


def test_an_empty_store_builds_an_empty_index(
    store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    fill_store(store_path, [])
    report = build_index(store_path, index_dir, embedder)
    assert report.version == 1 and report.chunks == 0
    assert open_handle(index_dir, embedder).search("cao tốc") == []


def test_every_file_of_a_new_version_is_on_disk_before_current_names_it(
    store_path: Path,
    index_dir: Path,
    embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A power cut right after the switch must find CURRENT naming flushed files: each
    file of the version is fsynced before CURRENT is replaced."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    fill_store(store_path, CORPUS)
    build_index(store_path, index_dir, embedder)

    switch = events.index(("replace", str(index_dir / "CURRENT")))
    synced_before = {path for kind, path in events[:switch] if kind == "fsync"}
    final = version_dir(index_dir, 1)
    files = [path for path in final.rglob("*") if path.is_file()]
    assert files
    # fsync saw the files in their staging folder, before the rename to the final name.
    staged = {Path(p).name for p in synced_before}
    assert {path.name for path in files} <= staged


def _sentences_of(articles: list[Article]) -> list[str]:
    from index.sentences import split_sentences

    return [a.text[s:e] for a in articles for s, e in split_sentences(a.text, a.lang)]


def test_every_sentence_has_a_stored_vector_equal_to_embedding_it(
    built: BuildReport, index_dir: Path, embedder: HashingEmbedder
) -> None:
    sentences = list(dict.fromkeys(_sentences_of(CORPUS)))
    assert built.sentences == len(sentences) and built.sentences_embedded == len(sentences)
    handle = open_handle(index_dir, embedder)
    stored = handle.sentence_vectors(sentences)
    vectors = [v for v in stored if v is not None]
    assert len(vectors) == len(stored)
    assert np.allclose(np.stack(vectors), embedder.embed_passages(sentences), atol=1e-6)
    # Text the articles do not hold as a sentence has no stored vector.
    assert handle.sentence_vectors(["Không có câu này trong bài nào.", sentences[0]])[0] is None


def test_sentence_vectors_are_reused_by_text_across_versions(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    # A new article repeating a known sentence, plus one new sentence.
    known = CORPUS[0].paragraphs[0]
    fill_store(
        store_path, [make_article("lap-lai", "Bài lặp lại", [known, "Câu hoàn toàn mới ở đây."])]
    )
    embedded: list[str] = []

    class Recording(HashingEmbedder):
        def embed_passages(self, texts: list[str]) -> np.ndarray:
            embedded.extend(texts)
            return super().embed_passages(texts)

    report = build_index(store_path, index_dir, Recording(dimensions=64))
    assert report.sentences_embedded == 1 and report.sentences == built.sentences + 1
    assert "Câu hoàn toàn mới ở đây." in embedded and known not in embedded
    handle = open_handle(index_dir, embedder)
    assert all(v is not None for v in handle.sentence_vectors([known, "Câu hoàn toàn mới ở đây."]))


def test_a_version_without_sentence_vectors_serves_and_the_next_build_adds_them(
    built: BuildReport, store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    # A version as built before sentence vectors were stored.
    folder = version_dir(index_dir, 1)
    for name in ("sentence_keys.npy", "sentence_vectors.npy"):
        (folder / name).unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["sentences"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    sentence = CORPUS[0].paragraphs[0]
    assert open_handle(index_dir, embedder).sentence_vectors([sentence]) == [None]

    report = build_index(store_path, index_dir, embedder)
    assert not report.up_to_date and report.version == 2
    assert report.chunks_embedded == 0 and report.sentences == built.sentences
    assert open_handle(index_dir, embedder).sentence_vectors([sentence])[0] is not None


def test_damaged_sentence_vectors_read_as_missing(
    built: BuildReport, index_dir: Path, embedder: HashingEmbedder
) -> None:
    (version_dir(index_dir, 1) / "sentence_vectors.npy").write_bytes(b"not numpy")
    handle = open_handle(index_dir, embedder)
    assert handle.sentence_vectors([CORPUS[0].paragraphs[0]]) == [None]
    assert handle.search("cao tốc", k=1)


@pytest.mark.parametrize("block_rows", [16_384, 1])
def test_every_chunk_vector_equals_embedding_its_text_when_vectors_are_reused(
    built: BuildReport,
    store_path: Path,
    index_dir: Path,
    embedder: HashingEmbedder,
    block_rows: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Vectors embedded during the build are held in blocks; one row a block puts every
    # vector on a block boundary.
    monkeypatch.setattr(build_module._EmbeddedChunks, "_BLOCK_ROWS", block_rows)
    # A republished copy (same paragraphs, another address) reuses the vectors of text
    # embedded in this run; a changed article reuses the previous version's.
    copy = NEW_ARTICLE.model_copy(update={"url": "https://baolamdong.vn/copy-dien-mat-troi"})
    changed = CORPUS[1].model_copy(
        update={"paragraphs": [CORPUS[1].paragraphs[0], "Diện tích tái canh tăng lên 6.000 ha."]}
    )
    changed = type(changed).model_validate(changed.model_dump(exclude={"text"}))
    fill_store(store_path, [NEW_ARTICLE, copy, changed])
    report = build_index(store_path, index_dir, embedder)
    assert 0 < report.chunks_embedded < report.chunks
    directory = version_dir(index_dir, report.version)
    store = FaissStore.load(directory)
    ids = store.ids()
    assert len(ids) == report.chunks
    with Catalog(directory / "catalog.sqlite") as catalog:
        found = catalog.chunks([int(chunk_id) for chunk_id in ids])
    texts = [found[int(chunk_id)][0].embedding_text for chunk_id in ids]
    assert np.allclose(store.reconstruct(ids), embedder.embed_passages(texts), atol=1e-6)


def test_a_new_reading_of_the_text_rechunks_every_article_without_embedding_again(
    built: BuildReport,
    store_path: Path,
    index_dir: Path,
    embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.chunk import READING_VERSION

    calls = _passages_embedded(embedder)
    monkeypatch.setattr("index.build.READING_VERSION", READING_VERSION + 1)
    report = build_index(store_path, index_dir, embedder)
    assert report.version == 2 and report.articles_changed == len(CORPUS)
    assert report.chunks_embedded == 0 and report.sentences_embedded == 0
    assert _passages_embedded(embedder) == calls


def test_a_part_of_a_year_is_read_back_from_the_catalog(
    store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    report_article = make_article(
        "chin-thang-dau-nam",
        "Lâm Đồng: hồ sơ trực tuyến 9 tháng",
        ["Trong 9 tháng đầu năm 2025, tỷ lệ hồ sơ trực tuyến toàn trình của tỉnh đạt 71,3%."],
        published=datetime(2025, 10, 9, 9, 0, tzinfo=VN),
    )
    fill_store(store_path, [report_article])
    # The real chunker: it reads the dates.
    report = update_index(store_path, index_dir, embedder, tokenizer=fake_keyword_tokens)
    directory = version_dir(index_dir, report.version)
    with Catalog(directory / "catalog.sqlite") as catalog:
        found = catalog.chunks([int(i) for i in FaissStore.load(directory).ids()])
    dates = [d for chunk, _article in found.values() for d in chunk.dates]
    assert dates and all(period_end(d) == date(2025, 9, 30) for d in dates)
