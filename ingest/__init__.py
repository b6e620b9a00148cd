"""Files in, clean structured chunks with page and section metadata out (built in the next step).

May import nothing else of Styrbot's, and never Slack or FastAPI.
"""
