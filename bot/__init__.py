"""The composition layer: the only package that knows the terminal (and, later, Slack and FastAPI).

It composes `rules` (and, later, `ingest` and `knowledge`) behind one answering core,
`bot.answering.Answerer`, and adapts it to the command line.
"""
