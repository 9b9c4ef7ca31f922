# One image for every Suxin service; SERVICE picks which one runs (e.g. job_matching).
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir 'uv>=0.5'
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs libs
COPY services services
RUN uv sync --frozen --all-packages --no-dev

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app suxin
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000
# Migrate this service's own database, then serve. uvicorn turns SIGTERM into a graceful
# shutdown: consumers hand back what they fetched, the relay stops, NATS drains.
CMD ["sh", "-c", "suxin migrate \"$SERVICE\" && exec uvicorn --factory \"$SERVICE.app:create_app\" --host 0.0.0.0 --port 8000"]
