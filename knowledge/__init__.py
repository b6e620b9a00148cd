"""Retrieval over the municipality's documents with cited answers (built in the next step).

May import `ingest` (its Chunk type) and nothing else of Styrbot's; never Slack or FastAPI.
"""
