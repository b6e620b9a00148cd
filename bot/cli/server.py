"""`styrbot serve` (the web server, with Slack over HTTP, Teams and the reminders) and `styrbot slack` (Socket
Mode)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot import texts
from bot.cli.common import (
    UserError,
    data_dir_option,
    load_settings,
    open_services,
)
from bot.services import Services

if TYPE_CHECKING:
    from bot.teams import Teams


def _bolt(services: Services, socket_mode: bool = False) -> Any:
    from bot.slack import build_app

    settings = services.settings
    return build_app(
        services,
        signing_secret=None if socket_mode else settings.slack_signing_secret,
        token=settings.slack_bot_token,
        api_url=settings.slack_api_url,
        channel_municipalities=dict(settings.slack_channels),
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adress att lyssna på.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port att lyssna på.")
@data_dir_option
def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Starta webbservern: chattsidan, REST-API, Slack över HTTP, Teams, påminnelser, hälsa och mätvärden."""
    import uvicorn

    from bot import logs
    from bot.slack import reminder_scheduler
    from bot.web import WebConfig, create_app
    from bot.web.ops import DrainingServer

    services = open_services(data_dir, serving=True)
    settings = services.settings
    logs.configure(settings.log_format)
    slack = scheduler = None
    if settings.slack_bot_token and settings.slack_signing_secret:
        slack = _bolt(services)
    elif settings.slack_bot_token or settings.slack_signing_secret:
        click.echo(texts.SLACK_HALF_CONFIGURED, err=True)
    if settings.slack_bot_token:  # reminders need only the token to post
        scheduler = reminder_scheduler(services)
    teams = _teams(services)
    services.warm()
    app = create_app(services, slack, scheduler, config=WebConfig.from_settings(settings), teams=teams)
    # X-Forwarded-For names the client only when it comes from a configured proxy (uvicorn would trust
    # any local hop by default, so anything on the machine could pose as any client)
    proxies = list(settings.trusted_proxies)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        timeout_graceful_shutdown=max(1, round(settings.shutdown_seconds)),
    )
    DrainingServer(config).run()


def _teams(services: Services) -> Teams | None:
    """The Teams bot when its Entra app is configured (id, secret and tenant); None, and said so on stderr,
    when only some of them are."""
    settings = services.settings
    app_id, secret, tenant = settings.teams_app_id, settings.teams_app_secret, settings.teams_tenant_id
    if not (app_id and secret and tenant):
        if app_id or secret or tenant:
            click.echo(texts.TEAMS_HALF_CONFIGURED, err=True)
        return None
    from bot.teams import build_teams

    return build_teams(
        services,
        app_id=app_id,
        secret=secret,
        tenant=tenant,
        authority=settings.teams_authority,
        places=dict(settings.teams_channels),
    )


@click.command()
@data_dir_option
def slack(data_dir: Path | None) -> None:
    """Kör Slack-boten över Socket Mode (kräver SLACK_APP_TOKEN och SLACK_BOT_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot import logs
    from bot.slack import reminder_scheduler

    settings = load_settings(data_dir)
    if not (settings.slack_app_token and settings.slack_bot_token):
        raise UserError(texts.SLACK_SOCKET_TOKENS)
    services = open_services(data_dir, serving=True)
    logs.configure(settings.log_format)
    services.warm()
    handler = SocketModeHandler(_bolt(services, socket_mode=True), settings.slack_app_token)
    with reminder_scheduler(services).running():  # the reminders run beside the socket, as inside `serve`
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
