"""The composition layer: the only package that knows the terminal, Slack and FastAPI.

The core composes `rules`, `ingest` and `knowledge` behind one answering service (`answering`, with
`facts`, `errors`, the document `library`, the database `db`, `reminders` and `calendar`), assembled
by `services.Services.open`. The channels adapt it and know nothing of each other: `cli`, `web` and
`slack`. `tests/test_architecture.py` holds the map.
"""
