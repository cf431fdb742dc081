"""The gemma profile's query encoder: the exported ONNX graph when it matches the weights,
torch otherwise; and, with the real model, the same vectors either way."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.embed import SentenceTransformerEmbedder, base_embedder
from index.onnx_query import OnnxQueryEncoder, is_exported, query_graph_dir
from index.provision import COMPLETE_MARKER, GEMMA_SAFETENSORS_SHA256, gemma_dir

ROOT = Path(__file__).resolve().parents[2]


def _provisioned(models_dir: Path, graph_marker: str | None) -> None:
    gemma_dir(models_dir).mkdir(parents=True)
    (gemma_dir(models_dir) / COMPLETE_MARKER).write_text(GEMMA_SAFETENSORS_SHA256 + "\n")
    if graph_marker is not None:
        query_graph_dir(models_dir).mkdir(parents=True)
        (query_graph_dir(models_dir) / COMPLETE_MARKER).write_text(graph_marker + "\n")


def test_gemma_queries_use_the_graph_exported_from_these_weights(tmp_path: Path) -> None:
    _provisioned(tmp_path, GEMMA_SAFETENSORS_SHA256)
    embedder = base_embedder("gemma", models_dir=tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert isinstance(embedder.query_encoder, OnnxQueryEncoder)


@pytest.mark.parametrize("graph_marker", [None, "0" * 64])
def test_gemma_queries_go_through_torch_without_a_matching_graph(
    tmp_path: Path, graph_marker: str | None
) -> None:
    _provisioned(tmp_path, graph_marker)
    embedder = base_embedder("gemma", models_dir=tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.query_encoder is None


class _FixedQueries:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        vectors: np.ndarray = np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3)
        return vectors


def test_queries_never_load_the_torch_model_when_an_encoder_is_given(tmp_path: Path) -> None:
    encoder = _FixedQueries()
    embedder = SentenceTransformerEmbedder(
        str(tmp_path / "weights-not-needed"), name="gemma-3", dimensions=3, query_encoder=encoder
    )
    vectors = embedder.embed_queries(["Lâm Đồng cam kết gì?"])
    assert vectors.shape == (1, 3) and encoder.texts == ["Lâm Đồng cam kết gì?"]
    assert embedder._model is None


QUESTIONS = [
    "What did Lam Dong commit to by May 2025?",
    "Hà Giang đã giao nhiệm vụ gì cho quý II/2025?",
    "Кто представлял Ламдонг на заседании в мае?",
    "Хто представляв Лам Донг на засіданні у травні?",
    "Quel est l'objectif de Hai Phong pour l'économie numérique en 2030 ?",
    "海防市2030年数字经济目标是什么？",
    "15/2025/NQ-HĐND",
]


@pytest.mark.slow
def test_graph_gives_the_torch_query_vectors() -> None:
    # The tests' own POLICYQA_HOME is empty: the provisioned models are looked for here.
    models_dir = Path(os.environ.get("POLICYQA_TEST_MODELS", ROOT / "data" / "models"))
    if not is_exported(models_dir):
        pytest.skip(f"no exported query graph in {models_dir} (policyqa models)")
    torch_path = SentenceTransformerEmbedder(
        str(gemma_dir(models_dir)), name="gemma-768", dimensions=768
    )
    graph = OnnxQueryEncoder(query_graph_dir(models_dir), gemma_dir(models_dir), 768)
    expected = torch_path.embed_queries(QUESTIONS)
    got = graph.encode(QUESTIONS)
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(got * expected, axis=1))) > 0.999
    # The API embeds from a thread pool: the same vectors, whatever runs alongside.
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda text: graph.encode([text])[0], QUESTIONS * 4))
    np.testing.assert_allclose(np.vstack(parallel), np.vstack([got] * 4), atol=1e-5)
    # Matryoshka sizes: the graph's vector cut and renormalised as truncate_dim does.
    small = OnnxQueryEncoder(query_graph_dir(models_dir), gemma_dir(models_dir), 256)
    cut = expected[:, :256] / np.linalg.norm(expected[:, :256], axis=1, keepdims=True)
    assert float(np.min(np.sum(small.encode(QUESTIONS) * cut, axis=1))) > 0.999


def _tiny_sentence_model(folder: Path) -> Any:
    """A one-layer sentence-transformers model with gemma's query prompt, saved as gemma's
    folder is laid out (`sentence_bert_config.json` with `max_seq_length`)."""
    import json

    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizer

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "task", ":", "search", "result"]
    words += ["|", "query", *"abcdefghijklmnopqrstuvwxyz"]
    source = folder / "source"
    source.mkdir(parents=True)
    (source / "vocab.txt").write_text("\n".join(words) + "\n")
    tokenizer = BertTokenizer(vocab_file=str(source / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(words),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(source)
    tokenizer.save_pretrained(source)
    model = SentenceTransformer(
        modules=[
            Transformer(str(source), max_seq_length=32),
            Pooling(16, pooling_mode="mean"),
            Normalize(),
        ],
        prompts={"query": "task: search result | query: "},
    )
    model.save(str(folder / "model"))
    settings = {"max_seq_length": 32, "do_lower_case": False}
    (folder / "model" / "sentence_bert_config.json").write_text(json.dumps(settings))
    return model


@pytest.mark.slow
# torch.onnx's exporter warns about its own internals (pytree, renamed shapes).
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_an_exported_graph_gives_the_models_own_query_vectors(tmp_path: Path) -> None:
    # The export and the encoder on a small model of the same shape as gemma's folder: the
    # path `policyqa models` takes, checked where the real weights are not provisioned.
    from index.onnx_query import export_query_graph

    model = _tiny_sentence_model(tmp_path)
    graph_dir = export_query_graph(tmp_path / "model", tmp_path / "models")
    assert graph_dir == query_graph_dir(tmp_path / "models")
    assert not list((tmp_path / "models").glob(".*staging*"))
    texts = ["abc def", "query about a search", "x", ""]
    expected = model.encode_query(texts, normalize_embeddings=True)
    encoder = OnnxQueryEncoder(graph_dir, tmp_path / "model", 16)
    got = encoder.encode(texts)
    assert got.shape == (len(texts), 16)
    assert float(np.min(np.sum(got * expected, axis=1))) > 0.999
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda text: encoder.encode([text])[0], texts * 3))
    np.testing.assert_allclose(np.vstack(parallel), np.vstack([got] * 3), atol=1e-5)
    # A smaller size is the vector cut and renormalised.
    cut = expected[:, :8] / np.linalg.norm(expected[:, :8], axis=1, keepdims=True)
    small = OnnxQueryEncoder(graph_dir, tmp_path / "model", 8).encode(texts)
    assert float(np.min(np.sum(small * cut, axis=1))) > 0.999
