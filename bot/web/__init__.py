"""The web adapter (FastAPI): the chat page, the REST API, the document API and Slack's HTTP endpoint.

`create_app` composes the answering core, the document library, the database and the Slack app; the
routes themselves only translate between HTTP and those parts.
"""

from bot.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
