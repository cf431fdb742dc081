"""Crawling, extraction and the article store. Knows nothing of index/, qa/ or api/."""
