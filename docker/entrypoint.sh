#!/bin/sh
# The image's ENTRYPOINT. What it runs depends on the arguments (`docker run <image> ...`,
# `docker compose run <service> ...`):
#   (none)                     the service named by $SERVICE (set from the SERVICE build arg)
#   rebuild <read-model> ...   that service's read-model rebuild, e.g. rebuild todo-views
#   dead-letter-cli <command>  the dead-letter CLI, e.g. dead-letter-cli list notification-service
# It execs node, so SIGTERM reaches node (and Nest's shutdown hooks) without a shell in between.
set -eu

case "${1:-}" in
  dead-letter-cli)
    shift
    app=dead-letter-cli
    ;;
  '' | rebuild)
    case "${SERVICE:-}" in
      todo-service | notification-service | analytics-service | order-service | inventory-service) ;;
      *)
        echo "entrypoint: SERVICE must be todo-service, notification-service, analytics-service, order-service or inventory-service (got '${SERVICE:-}')" >&2
        exit 64
        ;;
    esac
    app=$SERVICE
    ;;
  *)
    echo "entrypoint: unknown command '$1'; use no arguments (start \$SERVICE), 'rebuild <read-model>' or 'dead-letter-cli <command>'" >&2
    echo "entrypoint: (for a shell: docker compose run --entrypoint sh <service>)" >&2
    exit 64
    ;;
esac

entry="dist/apps/${app}/apps/${app}/src/main.js"
if [ ! -f "$entry" ]; then
  echo "entrypoint: $entry not found; was the image built from a tree containing $app?" >&2
  exit 66
fi

exec node "$entry" "$@"
