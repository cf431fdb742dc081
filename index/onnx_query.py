"""EmbeddingGemma's query encoder as an ONNX graph run by onnxruntime.

A question is embedded once per `/ask`, one short text at a time. In torch that pass costs
about 110 ms on two cores, most of it dispatching two thousand small operators; the same
graph exported to ONNX and run by onnxruntime (fused operators, no Python between them)
gives the same vector (cosine 1.0000 to float precision) several times faster. Passages
are still embedded by sentence-transformers at index time: only the query side changes,
so query vectors stay comparable with every index already built.

The graph is exported from the provisioned weights by `policyqa models` (torch.onnx with
its dynamo exporter, which needs onnx and onnxscript) into
`<models_dir>/embeddinggemma-300m-onnx/`, next to the weights. A `.complete` marker names
the weights' sha256, so a graph from other weights is never used. Without the graph (or
without onnxruntime) queries go through torch as before.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np

from index.provision import COMPLETE_MARKER, GEMMA_DIR_NAME, GEMMA_SAFETENSORS_SHA256

logger = logging.getLogger(__name__)

ONNX_DIR_NAME = f"{GEMMA_DIR_NAME}-onnx"
GRAPH_FILE = "query.onnx"
# The graph's output: the model's sentence embedding (pooled, projected, normalised).
OUTPUT_NAME = "sentence_vector"


def query_graph_dir(models_dir: Path) -> Path:
    return models_dir / ONNX_DIR_NAME


def is_exported(models_dir: Path) -> bool:
    """True when the query graph of the provisioned weights is in place."""
    marker = query_graph_dir(models_dir) / COMPLETE_MARKER
    return marker.is_file() and marker.read_text().strip() == GEMMA_SAFETENSORS_SHA256


def onnxruntime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def export_query_graph(model_dir: Path, models_dir: Path) -> Path:
    """Export the sentence-transformers model in `model_dir` (weights, pooling, dense
    projections and normalisation) to `<models_dir>/embeddinggemma-300m-onnx/`.

    Takes a few minutes and about 1.3 GB on disk. The folder appears by an atomic rename
    once the graph is written, so an interrupted export leaves nothing half-made.
    """
    import onnx
    import torch
    from sentence_transformers import SentenceTransformer

    target = query_graph_dir(models_dir)
    staging = models_dir / f".{ONNX_DIR_NAME}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    model = SentenceTransformer(str(model_dir), device="cpu")

    class SentenceVector(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            vector: torch.Tensor = self.model(features)["sentence_embedding"]
            return vector

    sample = model.tokenizer(["task: search result | query: export"], return_tensors="pt")
    tokens = torch.export.Dim("tokens", min=2, max=int(model.max_seq_length or 2048))
    graph_file = staging / GRAPH_FILE  # its weights go beside it, in GRAPH_FILE.data
    torch.onnx.export(
        SentenceVector().eval(),
        (sample["input_ids"], sample["attention_mask"]),
        str(graph_file),
        input_names=["input_ids", "attention_mask"],
        output_names=["output"],
        dynamic_shapes={"input_ids": {1: tokens}, "attention_mask": {1: tokens}},
        dynamo=True,
        external_data=True,
    )
    graph = onnx.load(str(graph_file), load_external_data=False)
    _rename_output(graph.graph, OUTPUT_NAME)
    onnx.save(graph, str(graph_file))
    (staging / COMPLETE_MARKER).write_text(GEMMA_SAFETENSORS_SHA256 + "\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    logger.info("exported the query graph to %s", target)
    return target


def _rename_output(graph: Any, name: str) -> None:
    """Give the graph's single output a name no inner value uses (the exporter may name
    the output after a layer, clashing with that layer's own value)."""
    old = graph.output[0].name
    for node in graph.node:
        for i, value in enumerate(node.output):
            if value == old and node is _producer(graph, old):
                node.output[i] = name
    graph.output[0].name = name


def _producer(graph: Any, value: str) -> Any:
    """The last node that writes `value` (the graph's output is written last)."""
    return [node for node in graph.node if value in node.output][-1]


class OnnxQueryEncoder:
    """Query vectors from the exported graph, as `SentenceTransformer.encode_query` with
    `truncate_dim=dimensions` and normalisation gives them. Loads lazily, once; safe to
    share between threads (onnxruntime sessions are; tokenizing takes a lock)."""

    def __init__(self, graph_dir: Path, model_dir: Path, dimensions: int, threads: int = 0):
        self.graph_dir = graph_dir
        self.model_dir = model_dir
        self.dimensions = dimensions
        self.threads = threads
        self._lock = threading.Lock()
        # A fast tokenizer resets its truncation state on every call and refuses a second
        # thread meanwhile ("Already borrowed"); the API embeds from a thread pool.
        self._tokenizing = threading.Lock()
        self._loaded: tuple[Any, Any, str, int] | None = None

    def _load(self) -> tuple[Any, Any, str, int]:
        with self._lock:
            if self._loaded is None:
                import onnxruntime
                from transformers import AutoTokenizer

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                # As OMP_WAIT_POLICY=PASSIVE for torch (index/__init__.py): threads that
                # spin between runs slow everything else on shared cores.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                session = onnxruntime.InferenceSession(
                    str(self.graph_dir / GRAPH_FILE), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
                config = json.loads(
                    (self.model_dir / "config_sentence_transformers.json").read_text("utf-8")
                )
                bert = json.loads((self.model_dir / "sentence_bert_config.json").read_text("utf-8"))
                prompt = str(config.get("prompts", {}).get("query", ""))
                self._loaded = (session, tokenizer, prompt, int(bert["max_seq_length"]))
                logger.info("query encoder: onnxruntime graph %s", self.graph_dir)
            return self._loaded

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        session, tokenizer, prompt, max_tokens = self._load()
        rows = []
        # One text per run: no padding, so each vector is exactly the unbatched one.
        for text in texts:
            with self._tokenizing:
                encoded = tokenizer(
                    [prompt + text], truncation=True, max_length=max_tokens, return_tensors="np"
                )
            feeds = {
                "input_ids": encoded["input_ids"].astype(np.int64),
                "attention_mask": encoded["attention_mask"].astype(np.int64),
            }
            rows.append(session.run([OUTPUT_NAME], feeds)[0][0, : self.dimensions])
        vectors = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)
