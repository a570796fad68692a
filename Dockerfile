# The prestasync image of docker-compose.yml: the CLI (streams, sinks, twins, provision) on Python 3.11.
# The checkout is installed editable in /app, so connect/*.json and the sandbox DDL are where the code
# looks for them (REPO_ROOT), as in a developer's checkout.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY prestasync prestasync
COPY streams streams
COPY sinks sinks
COPY schemas schemas
COPY sandbox sandbox
COPY connect connect
RUN pip install --no-cache-dir -e .
ENV PRESTASYNC_HOME=/app/.stack
ENTRYPOINT ["prestasync"]
CMD ["--help"]
