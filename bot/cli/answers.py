"""`styrbot ask` and `styrbot eval`: questions answered one at a time, from a file, or as a scored set."""

from __future__ import annotations

import functools
import json
import secrets
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click

from bot import texts
from bot.answering import Answer, Question
from bot.cli.common import (
    UserError,
    data_dir_option,
    open_services,
    parse_day,
)
from bot.cli.text import answer_text
from bot.errors import BadQuestion, swedish
from bot.evaluation import EvalFileError, evaluate
from bot.services import Services
from rules import UnknownMunicipality
from rules.calendar import STOCKHOLM


@click.command()
@click.argument("question", required=False, metavar="[FRÅGA]")
@click.option(
    "--municipality",
    "-m",
    default=None,
    help="Kommunens id eller namn, t.ex. Strängnäs (standard: $STYRBOT_MUNICIPALITY).",
)
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@click.option("--batch", type=click.Path(path_type=Path, dir_okay=False), help="Besvara varje JSON-rad i filen.")
@click.option("--today", default=None, help="Svara som om det vore detta datum (ÅÅÅÅ-MM-DD).")
@data_dir_option
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
    asked_at = _asked_at(parse_day(today))
    services = open_services(data_dir)
    if batch is not None:
        sys.exit(_ask_batch(services, batch, asked_at))
    answer = _ask_one(services.answerer.answer, Question(question or "", municipality, asked_at, channel="cli"))
    click.echo(json.dumps(answer.to_json(), ensure_ascii=False) if as_json else answer_text(answer))


def _asked_at(day: date | None) -> datetime:
    if day is None:
        return datetime.now(STOCKHOLM)
    return datetime.combine(day, time(12), tzinfo=STOCKHOLM)


def _ask_one(ask: Callable[[Question], Answer], question: Question) -> Answer:
    try:
        return ask(question)
    except (BadQuestion, UnknownMunicipality) as exc:  # a batch goes on with its next line
        raise UserError(swedish(exc)) from None


def _ask_batch(services: Services, path: Path, asked_at: datetime) -> int:
    """Answer every line, in order; a bad line gets an error object and the rest goes on. Lines with the same
    `conversation` are the turns of one conversation (of this run only), each answered after the ones before."""
    failed = 0
    run = secrets.token_hex(6)
    for item in _batch_lines(path):
        if "error" in item:
            failed += 1
            click.echo(json.dumps(item, ensure_ascii=False))
            continue
        try:
            conversation = item.get("conversation")
            ask = services.answerer.answer
            if conversation is not None:
                ask = functools.partial(services.conversations.ask, conversation=f"cli:{run}:{conversation}")
            answer = _ask_one(
                ask, Question(item["question"], item.get("municipality"), asked_at, id=item.get("id"), channel="cli")
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


@click.command(name="eval")
@click.argument("files", nargs=-1, required=True, metavar="FIL...", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Skriv måtten som JSON.")
@data_dir_option
def eval_(files: tuple[Path, ...], as_json: bool, data_dir: Path | None) -> None:
    """Kör frågeset (JSON-rader som i eval/, se eval/README.md) och skriv ut måtten."""
    services = open_services(data_dir)
    results = []
    for path in files:
        try:
            results.append(evaluate(path, services.answerer.answer, services.conversations.ask))
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
    lines = [
        texts.EVAL_CHAT_ANSWERABLE.format(
            correct=answerable["correct"], n=answerable["n"], share=answerable["accuracy"] or 0.0
        ),
        texts.EVAL_CHAT_UNANSWERABLE.format(abstained=unanswerable["abstained"], n=unanswerable["n"]),
        texts.EVAL_CHAT_BAD.format(abstained=chat["wrongly_abstained"], wrong=chat["wrong_rule_answers"]),
        texts.EVAL_CHAT_BY_CATEGORY,
    ]
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
