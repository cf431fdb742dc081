"""The index finds the same dates, document numbers, chunks, keyword tokens and places
as the snapshot in tests/data/index_outputs.json (demo corpus, dev-set articles, seed
articles): making indexing or place matching faster must not change what they find."""

from __future__ import annotations

import json

import pytest

from qa.gazetteer import Gazetteer
from tests.index.index_outputs import SNAPSHOT, articles, outputs
from tests.shared_data import shared_root

EXPECTED = json.loads(SNAPSHOT.read_text("utf-8"))


@pytest.fixture(scope="module")
def current(gazetteer: Gazetteer) -> dict[str, dict[str, object]]:
    return {name: outputs(article, gazetteer) for name, article in articles(shared_root())}


def test_every_snapshot_article_is_still_read(current: dict[str, object]) -> None:
    assert set(current) == set(EXPECTED)
    assert any(name.startswith("seed:") for name in current)
    assert any(name.startswith("devset:") for name in current)


@pytest.mark.parametrize("part", ["dates", "dates_without_reference", "chunks"])
def test_outputs_match_the_snapshot(current: dict[str, dict[str, object]], part: str) -> None:
    differing = [name for name in EXPECTED if EXPECTED[name][part] != current[name][part]]
    assert not differing, f"{part} changed for {differing[:5]}"
