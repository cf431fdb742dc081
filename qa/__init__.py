"""Question understanding, retrieval fusion, answers and citations. Reads the index only."""
