"""Throughput benchmark: the pipeline against raw spaCy on the same paragraphs (see README, Performance)."""
