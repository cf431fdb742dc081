"""Chunking, embeddings, the dense and keyword indexes. Reads articles, never fetches."""
