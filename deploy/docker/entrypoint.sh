#!/bin/sh
# Entry point of the Suxin image. SERVICE names the service (job_matching, gig_market, ...).
#   serve    (default) the API and its background workers (outbox relay, consumers) on $PORT;
#            uvicorn turns SIGTERM into a graceful shutdown: consumers hand back what they
#            fetched, the relay stops, NATS drains.
#   migrate  alembic upgrade head on the service's own database ($DATABASE_URL), once per
#            release (the Kubernetes Job, the compose "migrate-*" steps).
#   anything else runs as a command (e.g. `suxin token ...`, `python`).
set -eu

command="${1:-serve}"
case "$command" in
  serve)
    : "${SERVICE:?SERVICE must name the service to run, e.g. job_matching}"
    [ "$#" -gt 0 ] && shift
    exec uvicorn --factory "${SERVICE}.app:create_app" \
      --host 0.0.0.0 --port "${PORT:-8000}" \
      --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      --timeout-graceful-shutdown 20 "$@"
    ;;
  migrate)
    : "${SERVICE:?SERVICE must name the service to migrate, e.g. job_matching}"
    shift
    exec suxin migrate "$SERVICE" "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
