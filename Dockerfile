# newsbot: slim Python, non-root, data on a volume, /healthz for the container's health.
FROM python:3.11-slim AS build
# a C compiler for mypyc's build of the classifier (setup.py); the final image needs none
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
LABEL org.opencontainers.image.title="newsbot" \
      org.opencontainers.image.description="Telegram bot that pushes news about the countries and movements its readers follow" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later" \
      org.opencontainers.image.source="https://github.com/newsbot/newsbot"
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////data/newsbot.db \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin newsbot \
    && mkdir -p /data && chown newsbot:newsbot /data
USER newsbot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# ready = the database answers and the last poll is recent (see README, "Running in production")
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('HTTP_PORT', '8080') + '/healthz', timeout=4)"]
ENTRYPOINT ["newsbot"]
CMD ["run"]
