"""What an operator watches, as Prometheus metrics (`GET /metrics`): per process, like every Prometheus
client, so each replica is scraped on its own and the sums are taken in Prometheus.

Labels are bounded on purpose: a route's template (never the raw path), an answer's kind, an abstention's
reason, a Slack method and error code, a reminder's status. No question text, no person, no channel name.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

# seconds: the rules answer in milliseconds, the documents in tens of milliseconds, a model in seconds
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_SECONDS = Histogram(
    "styrbot_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=BUCKETS,
)
ANSWERS = Counter("styrbot_answers", "Questions answered, by kind and channel.", ["kind", "channel"])
ANSWER_SECONDS = Histogram(
    "styrbot_answer_duration_seconds", "Time to answer a question, by kind.", ["kind"], buckets=BUCKETS
)
ABSTENTIONS = Counter("styrbot_abstentions", "Questions the documents did not answer, by reason.", ["reason"])
GENERATIONS = Counter(
    "styrbot_generations",
    "Answers a language model was asked to write: 'written', or why the extractive answer was used.",
    ["outcome"],
)
SLACK_ERRORS = Counter(
    "styrbot_slack_errors", "Slack Web API calls that failed, by method and error.", ["method", "error"]
)
REMINDERS = Counter("styrbot_reminders", "Reminder deliveries, by outcome (sent, retry, failed, missed).", ["status"])
QUESTIONS_LOGGED = Counter("styrbot_questions_logged", "Questions stored in the opt-in question log.")


def exposition() -> tuple[bytes, str]:
    """Every metric in Prometheus's text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
