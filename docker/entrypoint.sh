#!/bin/sh
# Starts the service named by $SERVICE (set from the SERVICE build arg).
set -eu

case "${SERVICE:-}" in
  todo-service | notification-service | analytics-service) ;;
  *)
    echo "entrypoint: SERVICE must be todo-service, notification-service or analytics-service (got '${SERVICE:-}')" >&2
    exit 64
    ;;
esac

entry="dist/apps/${SERVICE}/apps/${SERVICE}/src/main.js"
if [ ! -f "$entry" ]; then
  echo "entrypoint: $entry not found; was the image built from a tree containing $SERVICE?" >&2
  exit 66
fi

exec node "$entry" "$@"
