# syntax=docker/dockerfile:1
# One image for every Suxin service; SERVICE picks which one (e.g. SERVICE=job_matching).
#   docker build -t suxin .
#   docker run -e SERVICE=job_matching -e DATABASE_URL=... -e NATS_URL=... suxin          # serve
#   docker run -e SERVICE=job_matching -e DATABASE_URL=... suxin migrate                  # migrate
# Stage 1 resolves the locked dependencies with uv (the root project's dependencies: the runtime kit
# and the services; no dev group: no test tools, no development kit with its embedded
# PostgreSQL/NATS wheels); stage 2 is a slim runtime without uv, pip or compilers, as non-root.
#
# BASE_IMAGE: the registry's python:3.11-slim-bookworm by default; where no image registry is
# reachable, `make image` builds a Debian bookworm base from Debian packages
# (scripts/build-base-image.sh) and passes it here. Either base has Python 3.11 on the PATH as
# `python`, `groupadd` and `useradd`.
# Optional build secret `cacert`: a CA bundle for hosts whose egress to PyPI goes through a
# TLS-inspecting proxy (scripts/build-image.sh passes the host's bundle); absent elsewhere.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never PIP_NO_CACHE_DIR=1 \
    UV_CACHE_DIR=/var/cache/uv
# uv in its own venv: works the same on python:slim and on Debian's externally managed Python.
RUN --mount=type=secret,id=cacert \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi \
 && python -m venv /opt/uv \
 && /opt/uv/bin/pip install --no-cache-dir -q 'uv>=0.5,<1'
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs libs
COPY services services
# The uv cache survives between builds (a cache mount, not a layer), so a source change
# re-links the locked wheels instead of downloading them again.
RUN --mount=type=secret,id=cacert --mount=type=cache,target=/var/cache/uv \
    if [ -s /run/secrets/cacert ]; then export SSL_CERT_FILE=/run/secrets/cacert; fi \
 && /opt/uv/bin/uv sync --frozen --no-dev \
 && python -m compileall -q libs services

FROM ${BASE_IMAGE} AS runtime
# No package installers in the final image.
RUN python -m pip uninstall -y -q pip setuptools wheel 2>/dev/null || true \
 && groupadd --system --gid 10001 suxin \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin suxin
WORKDIR /app
# The venv holds editable installs pointing at /app/libs and /app/services (migrations are
# found next to each service's sources), so both come along, owned by root, read-only.
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/libs /app/libs
COPY --from=build /app/services /app/services
COPY --from=build /app/pyproject.toml /app/pyproject.toml
COPY deploy/docker/entrypoint.sh /usr/local/bin/suxin-entrypoint
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8000
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/livez\", timeout=2)"]
ENTRYPOINT ["suxin-entrypoint"]
CMD ["serve"]
