"""`styrbot reminders`: subscriptions, the scheduler (in real time or simulated) and its log."""

from __future__ import annotations

import json
import threading
from datetime import datetime, time
from pathlib import Path

import click

from bot import texts
from bot.cli.common import (
    UserError,
    current_rules,
    data_dir_option,
    load_settings,
    open_services,
    parse_day,
)
from bot.services import open_database
from rules.calendar import STOCKHOLM
from rules.tags import checked_tags


@click.group()
def reminders() -> None:
    """Påminnelser från årshjulet i Slack: prenumerationer, schemaläggaren och loggen."""


def _numbers(value: str | None) -> tuple[int, ...]:
    if not value:
        return ()
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise UserError(texts.REMINDERS_BAD_LEAD_DAYS) from None


@reminders.command("subscribe")
@click.option("--channel", required=True, help="Slack-kanalens id (C…), eller en persons id (U…) för DM.")
@click.option("--municipality", "-m", required=True, help="Kommunens id eller namn, t.ex. Strängnäs.")
@click.option("--tags", default=None, help="Bara händelser med någon av taggarna, t.ex. ekonomi,bolag.")
@click.option("--lead-days", default=None, help="Dagar före sista dag, t.ex. 14,2 (standard).")
@click.option("--json", "as_json", is_flag=True, help="Skriv prenumerationen som JSON.")
@data_dir_option
def reminders_subscribe(
    channel: str, municipality: str, tags: str | None, lead_days: str | None, as_json: bool, data_dir: Path | None
) -> None:
    """Prenumerera en kanal på påminnelser från en kommuns årshjul."""
    from bot.reminders import subscribe

    settings = load_settings(data_dir)
    rulebook = current_rules(settings).rulebook(municipality)
    chosen = checked_tags(rulebook, (tags or "").split(","))
    municipality = rulebook.municipality or municipality
    sub = subscribe(open_database(settings), channel, municipality, chosen, _numbers(lead_days))
    if as_json:
        click.echo(json.dumps(sub.to_json(), ensure_ascii=False))
        return
    what = texts.REMINDERS_TAGS.format(tags=", ".join(sub.tags)) if sub.tags else texts.REMINDERS_ALL_EVENTS
    days = ", ".join(str(d) for d in sub.lead_days)
    click.echo(texts.REMINDERS_SUBSCRIBED.format(channel=channel, name=rulebook.name, what=what, leads=days))


@reminders.command("list")
@click.option("--json", "as_json", is_flag=True, help="Skriv prenumerationerna som JSON.")
@data_dir_option
def reminders_list(as_json: bool, data_dir: Path | None) -> None:
    """Visa prenumerationerna."""
    from bot.reminders import subscriptions

    subs = subscriptions(open_database(load_settings(data_dir)))
    if as_json:
        click.echo(json.dumps([s.to_json() for s in subs], ensure_ascii=False, indent=2))
        return
    if not subs:
        click.echo(texts.REMINDERS_NONE)
    for sub in subs:
        what = ",".join(sub.tags) or texts.REMINDERS_ALL_EVENTS
        click.echo(f"{sub.id:>4}  {sub.channel:<14} {sub.municipality:<14} {what}  {','.join(map(str, sub.lead_days))}")


@reminders.command("unsubscribe")
@click.option("--channel", required=True, help="Kanalens (eller personens) id.")
@click.option("--municipality", "-m", default=None, help="Bara den här kommunen (standard: alla).")
@data_dir_option
def reminders_unsubscribe(channel: str, municipality: str | None, data_dir: Path | None) -> None:
    """Avsluta en kanals prenumerationer."""
    from bot.reminders import unsubscribe

    count = unsubscribe(open_database(load_settings(data_dir)), channel, municipality)
    click.echo(texts.REMINDERS_UNSUBSCRIBED.format(count=count))


@reminders.command("run")
@click.option("--simulate-from", default=None, help="Simulera från detta datum (ÅÅÅÅ-MM-DD) …")
@click.option("--simulate-to", default=None, help="… till och med detta datum, och avsluta sedan.")
@data_dir_option
def reminders_run(simulate_from: str | None, simulate_to: str | None, data_dir: Path | None) -> None:
    """Kör schemaläggaren för påminnelser (kl. 08.30 på vardagar), eller simulera en period."""
    from bot.reminders.scheduler import SimulatedClock, TickReport

    first, last = parse_day(simulate_from), parse_day(simulate_to)
    if (first is None) != (last is None):
        raise UserError(texts.REMINDERS_SIMULATE_BOTH)
    if first is not None and last is not None and last < first:
        raise UserError(texts.REMINDERS_SIMULATE_ORDER)
    from bot.slack import reminder_scheduler

    settings = load_settings(data_dir)
    if not settings.slack_bot_token:
        raise UserError(texts.REMINDERS_NO_TOKEN)
    totals = {"sent": 0, "failed": 0}

    def progress(report: TickReport) -> None:
        totals["sent"] += report.sent
        totals["failed"] += report.failed
        if report.sent or report.failed:
            moment = report.moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
            click.echo(texts.REMINDERS_TICK.format(moment=moment, sent=report.sent, failed=report.failed), err=True)

    clock = until = None
    if first is not None and last is not None:
        clock = SimulatedClock(datetime.combine(first, time(0), STOCKHOLM))
        until = datetime.combine(last, time(23, 59, 59), STOCKHOLM)
    scheduler = reminder_scheduler(open_services(data_dir, serving=True), clock, progress)
    stop = threading.Event()
    try:
        scheduler.run(until=until, stop=stop)
    except KeyboardInterrupt:
        stop.set()
    click.echo(texts.REMINDERS_DONE.format(**totals), err=True)


@reminders.command("log")
@click.option("--json", "as_json", is_flag=True, help="En JSON-rad per påminnelse.")
@data_dir_option
def reminders_log(as_json: bool, data_dir: Path | None) -> None:
    """Visa vilka påminnelser som har skickats (och vilka som misslyckades)."""
    from bot.reminders import Ledger

    rows = Ledger(open_database(load_settings(data_dir))).log()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        return
    if not rows:
        click.echo(texts.REMINDERS_LOG_EMPTY)
    for row in rows:
        sent = row.sent_at.strftime("%Y-%m-%d %H:%M") if row.sent_at else "–"
        click.echo(f"{sent:<16}  {row.status:<10} {row.channel:<12} {row.deadline}  {row.event[:70]}")
