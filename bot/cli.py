"""The `styrbot` command line: thin commands over the answering core."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from bot import formatting, texts
from bot.answering import Answer, Answerer, Question
from bot.errors import BadQuestion, BotError, swedish
from bot.evaluation import EvalFileError, evaluate
from bot.services import Services, open_database
from bot.settings import Settings
from rules import ProfileError, RulesEngine, RulesError, UnknownMunicipality, today_in_stockholm
from rules.calendar import STOCKHOLM
from rules.source import RulesSource
from rules.tags import checked_tags

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A mistake in what the user asked for: printed in Swedish, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        """Print the message on standard error without click's English prefix."""
        click.echo(f"styrbot: {self.message}", err=True)


class ConfigurationError(UserError):
    """Styrbot's own data is broken (a profile that does not validate): exit code 1."""

    exit_code = 1


class _Commands(click.Group):
    """The command group that words every error of the bot and the rules in Swedish (`bot.errors`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProfileError as exc:
            raise ConfigurationError(swedish(exc)) from None
        except (BotError, RulesError) as exc:
            raise UserError(swedish(exc)) from None


def _data_dir_option(func: F) -> F:
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Data directory (default: $STYRBOT_DATA_DIR or ./data).",
    )(func)


def _settings(data_dir: Path | None) -> Settings:
    try:
        return Settings.from_env().with_data_dir(data_dir)
    except ValueError as exc:
        raise ConfigurationError(texts.SETTINGS_ERROR.format(error=exc)) from None


def _services(data_dir: Path | None, serving: bool = False) -> Services:
    """Styrbot as configured, announcing on standard error when the demo documents are read in."""
    return Services.open(_settings(data_dir), serving=serving, announce=_announce_demo)


def _rules(settings: Settings) -> RulesEngine:
    """The rules alone, for the commands that need nothing else."""
    return RulesSource.watching(settings.profiles_dir).current


def _announce_demo(files: int) -> Callable[[int, int, Path], None]:
    """Say on standard error that the demo documents are being read in (once), and show how far it is."""
    click.echo(texts.DEMO_INGEST.format(files=files), err=True)

    def report(done: int, total: int, path: Path) -> None:
        click.echo(texts.DEMO_INGEST_FILE.format(done=done, total=total, name=path.name), err=True)

    return report


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(texts.BAD_DATE.format(value=value)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="styrbot")
def main() -> None:
    """Styrbot: svar om kommunens styrmodell, årshjul och roller – med källor."""


@main.command()
@click.argument("question", required=False)
@click.option("--municipality", "-m", default=None, help="Kommunens id (standard: $STYRBOT_MUNICIPALITY).")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@click.option("--batch", type=click.Path(path_type=Path, dir_okay=False), help="Besvara varje JSON-rad i filen.")
@click.option("--today", default=None, help="Svara som om det vore detta datum (ÅÅÅÅ-MM-DD).")
@_data_dir_option
def ask(
    question: str | None,
    municipality: str | None,
    as_json: bool,
    batch: Path | None,
    today: str | None,
    data_dir: Path | None,
) -> None:
    """Besvara en fråga, eller varje fråga i en JSON-radfil med --batch."""
    if question is not None and batch is not None:
        raise UserError(texts.QUESTION_AND_BATCH)
    if question is None and batch is None:
        raise UserError(texts.NO_QUESTION_GIVEN)
    asked_at = _asked_at(_parse_day(today))
    answerer = _services(data_dir).answerer
    if batch is not None:
        sys.exit(_ask_batch(answerer, batch, asked_at))
    answer = _ask_one(answerer, Question(question or "", municipality, asked_at, channel="cli"))
    click.echo(json.dumps(answer.to_json(), ensure_ascii=False) if as_json else formatting.answer_text(answer))


def _asked_at(day: date | None) -> datetime:
    if day is None:
        return datetime.now(STOCKHOLM)
    return datetime.combine(day, time(12), tzinfo=STOCKHOLM)


def _ask_one(answerer: Answerer, question: Question) -> Answer:
    try:
        return answerer.answer(question)
    except (BadQuestion, UnknownMunicipality) as exc:  # a batch goes on with its next line
        raise UserError(swedish(exc)) from None


def _ask_batch(answerer: Answerer, path: Path, asked_at: datetime) -> int:
    """Answer every line, in order; a bad line gets an error object and the rest goes on."""
    failed = 0
    for item in _batch_lines(path):
        if "error" in item:
            failed += 1
            click.echo(json.dumps(item, ensure_ascii=False))
            continue
        try:
            answer = _ask_one(
                answerer,
                Question(item["question"], item.get("municipality"), asked_at, id=item.get("id"), channel="cli"),
            )
            click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        except UserError as exc:
            failed += 1
            click.echo(json.dumps(_with_id(item.get("id"), exc.message), ensure_ascii=False))
    return 1 if failed else 0


def _with_id(item_id: Any, error: str) -> dict[str, Any]:
    return ({} if item_id is None else {"id": item_id}) | {"error": error}


def _batch_lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise UserError(texts.BATCH_READ_ERROR.format(path=path, error=exc.strerror)) from None
    with handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield {"error": texts.BATCH_BAD_JSON.format(error=exc.msg)}
                continue
            if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                yield _with_id(item.get("id") if isinstance(item, dict) else None, texts.BATCH_NOT_OBJECT)
                continue
            yield item


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--municipality", "-m", default=None, help="Kommun för alla filerna (standard: enligt profilerna).")
@click.option("--prune", is_flag=True, help="Ta bort dokument vars filer inte längre finns under PATHS.")
@click.option("--json", "as_json", is_flag=True, help="Skriv en sammanfattning som JSON.")
@_data_dir_option
def ingest(
    paths: tuple[Path, ...], municipality: str | None, prune: bool, as_json: bool, data_dir: Path | None
) -> None:
    """Läs in dokument (PDF, DOCX, PPTX, HTML, Markdown, text) i kunskapsbasen."""
    from bot.library import ingest_paths, open_indexer  # parsers, the model and Chroma load only for this command
    from ingest import iter_files

    settings = _settings(data_dir)
    engine = _rules(settings)
    if municipality is not None and municipality not in engine.known:
        raise UnknownMunicipality(municipality, engine.known)
    indexer = open_indexer(settings)
    municipality_of = (lambda _name: municipality) if municipality else engine.store.municipality_of_file
    with _progress(len(list(iter_files(paths)))) as report:
        summary = ingest_paths(indexer, paths, municipality_of, prune, report)
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(formatting.ingest_text(summary))
    sys.exit(1 if summary.failed else 0)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int, Path], None] | None]:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return
    with click.progressbar(length=total, label=texts.INGEST_PROGRESS, file=sys.stderr) as bar:
        yield lambda done, _total, _path: bar.update(1)


@main.command()
@click.option("--municipality", "-m", default=None, help="Kommunens id (standard: $STYRBOT_MUNICIPALITY).")
@click.option("--from", "start", default=None, help="Första dag (ÅÅÅÅ-MM-DD, standard: i dag).")
@click.option("--days", default=365, show_default=True, type=int, help="Antal dagar framåt.")
@click.option("--json", "as_json", is_flag=True, help="Skriv listan som JSON.")
@_data_dir_option
def deadlines(municipality: str | None, start: str | None, days: int, as_json: bool, data_dir: Path | None) -> None:
    """Kommande händelser i årshjulet, med sina datum."""
    if not 1 <= days <= 3660:
        raise UserError(texts.BAD_DAYS)
    settings = _settings(data_dir)
    engine = _rules(settings)
    first = _parse_day(start) or today_in_stockholm()
    last = first + timedelta(days=days - 1)
    rulebook = engine.rulebook(municipality or settings.municipality)
    if as_json:
        click.echo(json.dumps(formatting.deadlines_json(engine, rulebook, first, last), ensure_ascii=False, indent=2))
        return
    items = engine.upcoming(rulebook.municipality, first, last)
    click.echo(formatting.deadlines_text(items, rulebook, first, last))


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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adress att lyssna på.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port att lyssna på.")
@_data_dir_option
def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Starta webbservern: chattsidan, REST-API, Slack över HTTP, påminnelser, hälsa och mätvärden."""
    import uvicorn

    from bot import logs
    from bot.slack import reminder_scheduler
    from bot.web import WebConfig, create_app
    from bot.web.ops import DrainingServer

    services = _services(data_dir, serving=True)
    settings = services.settings
    logs.configure(settings.log_format)
    slack = scheduler = None
    if settings.slack_bot_token and settings.slack_signing_secret:
        slack = _bolt(services)
    elif settings.slack_bot_token or settings.slack_signing_secret:
        click.echo(texts.SLACK_HALF_CONFIGURED, err=True)
    if settings.slack_bot_token:  # reminders need only the token to post
        scheduler = reminder_scheduler(services)
    services.warm()
    app = create_app(services, slack, scheduler, config=WebConfig.from_settings(settings))
    # X-Forwarded-For names the client only when it comes from a configured proxy (uvicorn would trust
    # any local hop by default, so anything on the machine could pose as any client)
    proxies = list(settings.trusted_proxies)
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None,
                            timeout_graceful_shutdown=max(1, round(settings.shutdown_seconds)))  # fmt: skip
    DrainingServer(config).run()


@main.command()
@_data_dir_option
def slack(data_dir: Path | None) -> None:
    """Kör Slack-boten över Socket Mode (kräver SLACK_APP_TOKEN och SLACK_BOT_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot import logs
    from bot.slack import reminder_scheduler

    settings = _settings(data_dir)
    if not (settings.slack_app_token and settings.slack_bot_token):
        raise UserError(texts.SLACK_SOCKET_TOKENS)
    services = _services(data_dir, serving=True)
    logs.configure(settings.log_format)
    services.warm()
    handler = SocketModeHandler(_bolt(services, socket_mode=True), settings.slack_app_token)
    with reminder_scheduler(services).running():  # the reminders run beside the socket, as inside `serve`
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Skriv återkopplingen som JSON.")
@_data_dir_option
def feedback(as_json: bool, data_dir: Path | None) -> None:
    """Visa återkopplingen (👍/👎) som användarna har gett på svaren."""
    rows = open_database(_settings(data_dir)).feedback()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(formatting.feedback_text(rows))


@main.command()
@click.option("--unanswered", is_flag=True, help="Bara frågorna som dokumenten inte besvarade.")
@click.option("--json", "as_json", is_flag=True, help="Skriv frågorna som JSON, en per rad.")
@_data_dir_option
def questions(unanswered: bool, as_json: bool, data_dir: Path | None) -> None:
    """Visa frågeloggen (bara med STYRBOT_LOG_QUESTIONS=1; sparas STYRBOT_QUESTION_LOG_DAYS dagar)."""
    settings = _settings(data_dir)
    database = open_database(settings)
    database.purge_questions(timedelta(days=settings.question_log_days))
    rows = database.questions(unanswered=unanswered)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(formatting.questions_text(rows, settings.log_questions, settings.question_log_days))


@main.group()
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
@click.option("--municipality", "-m", required=True, help="Kommunens id.")
@click.option("--tags", default=None, help="Bara händelser med någon av taggarna, t.ex. ekonomi,bolag.")
@click.option("--lead-days", default=None, help="Dagar före sista dag, t.ex. 14,2 (standard).")
@click.option("--json", "as_json", is_flag=True, help="Skriv prenumerationen som JSON.")
@_data_dir_option
def reminders_subscribe(
    channel: str, municipality: str, tags: str | None, lead_days: str | None, as_json: bool, data_dir: Path | None
) -> None:
    """Prenumerera en kanal på påminnelser från en kommuns årshjul."""
    from bot.reminders import subscribe

    settings = _settings(data_dir)
    rulebook = _rules(settings).rulebook(municipality)
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
@_data_dir_option
def reminders_list(as_json: bool, data_dir: Path | None) -> None:
    """Visa prenumerationerna."""
    from bot.reminders import subscriptions

    subs = subscriptions(open_database(_settings(data_dir)))
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
@_data_dir_option
def reminders_unsubscribe(channel: str, municipality: str | None, data_dir: Path | None) -> None:
    """Avsluta en kanals prenumerationer."""
    from bot.reminders import unsubscribe

    count = unsubscribe(open_database(_settings(data_dir)), channel, municipality)
    click.echo(texts.REMINDERS_UNSUBSCRIBED.format(count=count))


@reminders.command("run")
@click.option("--simulate-from", default=None, help="Simulera från detta datum (ÅÅÅÅ-MM-DD) …")
@click.option("--simulate-to", default=None, help="… till och med detta datum, och avsluta sedan.")
@_data_dir_option
def reminders_run(simulate_from: str | None, simulate_to: str | None, data_dir: Path | None) -> None:
    """Kör schemaläggaren för påminnelser (kl. 08.30 på vardagar), eller simulera en period."""
    from bot.scheduler import SimulatedClock, TickReport

    first, last = _parse_day(simulate_from), _parse_day(simulate_to)
    if (first is None) != (last is None):
        raise UserError(texts.REMINDERS_SIMULATE_BOTH)
    if first is not None and last is not None and last < first:
        raise UserError(texts.REMINDERS_SIMULATE_ORDER)
    from bot.slack import reminder_scheduler

    settings = _settings(data_dir)
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
    scheduler = reminder_scheduler(_services(data_dir, serving=True), clock, progress)
    stop = threading.Event()
    try:
        scheduler.run(until=until, stop=stop)
    except KeyboardInterrupt:
        stop.set()
    click.echo(texts.REMINDERS_DONE.format(**totals), err=True)


@reminders.command("log")
@click.option("--json", "as_json", is_flag=True, help="En JSON-rad per påminnelse.")
@_data_dir_option
def reminders_log(as_json: bool, data_dir: Path | None) -> None:
    """Visa vilka påminnelser som har skickats (och vilka som misslyckades)."""
    from bot.reminders import Ledger

    rows = Ledger(open_database(_settings(data_dir))).log()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        click.echo(texts.REMINDERS_LOG_EMPTY)
    for row in rows:
        sent = (row["sent_at"] or "–")[:16].replace("T", " ")
        click.echo(f"{sent:<16}  {row['status']:<10} {row['channel']:<12} {row['deadline']}  {row['event'][:70]}")


@main.command(name="eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Skriv måtten som JSON.")
@_data_dir_option
def eval_(files: tuple[Path, ...], as_json: bool, data_dir: Path | None) -> None:
    """Kör frågeset i shared/eval-formatet och skriv ut måtten."""
    answerer = _services(data_dir).answerer
    results = []
    for path in files:
        try:
            results.append(evaluate(path, answerer.answer))
        except EvalFileError as exc:
            raise UserError(texts.EVAL_FILE_ERROR.format(path=path, error=exc)) from None
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
        return
    for result in results:
        click.echo(_eval_summary(result.to_json()))


def _eval_summary(result: dict[str, Any]) -> str:
    retrieval = result.get("retrieval", {})
    chat = result.get("chat")
    total = result["n"] + retrieval.get("answerable", 0) + retrieval.get("unanswerable", 0)
    total += chat["answerable"]["n"] + chat["unanswerable"]["n"] if chat else 0
    lines = [f"{result['file']}: {total} frågor"]
    if chat:
        lines += _chat_summary(chat)
    if result["accuracy"] is not None:
        lines.append(f"  rätt: {result['accuracy']:.1%}")
        for kind, row in result["by_type"].items():
            lines.append(f"    {kind:<12} {row['correct']}/{row['n']}")
    for name, value in result.get("retrieval", {}).items():
        lines.append(f"  {name:<26} {value:.3f}" if isinstance(value, float) else f"  {name:<26} {value}")
    for failure in result["failures"]:
        lines.append(
            f"  fel {failure['id']}: {failure['question']} – väntat {failure['expect']}, fick {failure['got']}"
        )
    return "\n".join(lines)


def _chat_summary(chat: dict[str, Any]) -> list[str]:
    def row(name: str, counts: dict[str, Any]) -> str:
        return texts.EVAL_CHAT_ROW.format(name=name, correct=counts["correct"], n=counts["n"])

    answerable, unanswerable = chat["answerable"], chat["unanswerable"]
    lines = [texts.EVAL_CHAT_ANSWERABLE.format(correct=answerable["correct"], n=answerable["n"],
                                               share=answerable["accuracy"] or 0.0),
             texts.EVAL_CHAT_UNANSWERABLE.format(abstained=unanswerable["abstained"], n=unanswerable["n"]),
             texts.EVAL_CHAT_BAD.format(abstained=chat["wrongly_abstained"], wrong=chat["wrong_rule_answers"]),
             texts.EVAL_CHAT_BY_CATEGORY]  # fmt: skip
    lines += [row(name, counts) for name, counts in chat["by_category"].items()]
    lines.append(texts.EVAL_CHAT_BY_STYLE)
    lines += [row(name, counts) for name, counts in chat["by_style"].items()]
    for failure in chat["failures"]:
        got = texts.EVAL_CHAT_ABSTAINED if failure["abstained"] else failure["kind"]
        missing = "; ".join(" | ".join(group) for group in failure["missing"])
        lines.append(
            texts.EVAL_CHAT_FAILURE.format(
                id=failure["id"],
                question=failure["question"],
                got=got,
                missing=missing or "–",
                answer=_one_line(failure["answer"]),
            )
        )
    return lines


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
