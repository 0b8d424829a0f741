# One image definition for all five services (todo, notification, analytics,
# order, inventory). The service is chosen with the
# SERVICE build arg (it becomes the default of the SERVICE env var, which can
# still be overridden at run time):
#
#   docker build --build-arg SERVICE=notification-service -t todo/notification-service .
#   docker run --rm -p 8082:8082 todo/notification-service
#
# Every image also carries the dead-letter CLI (see the ENTRYPOINT at the end).
# npm run check:image builds these stages without Docker and checks the result.
#
# The build stage does not depend on SERVICE, so BuildKit builds it once and
# the five images share every layer except the final ENV.

# The Node release the image runs: the one package.json pins as its `node` devDependency,
# which every npm script and test runs on (npm run check:image checks that they agree).
ARG NODE_VERSION=26.10.0

# ---- build: install all deps, compile the apps, drop dev deps ----
FROM node:${NODE_VERSION}-trixie-slim AS build
# swagger-ui-dist's postinstall phones home through @scarf/scarf unless told not to.
ENV SCARF_ANALYTICS=false
WORKDIR /app

COPY package.json package-lock.json ./
# npm ci also installs the project's `node` devDependency (the same release as this image, for
# the npm scripts outside it); npm prune drops it again below.
RUN npm ci --no-audit --no-fund

COPY nest-cli.json tsconfig*.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output + production node_modules, non-root ----
FROM node:${NODE_VERSION}-trixie-slim AS runtime

ARG SERVICE=todo-service
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8" \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0

WORKDIR /app

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY docker/entrypoint.sh docker/healthcheck.js ./docker/

# notification-service writes .eml files under ./data/mail when SMTP_URL is unset.
RUN mkdir -p /app/data && chown node:node /app/data

USER node

# One of these, depending on SERVICE (todo 8081, notification 8082, analytics 8083, order 8084, inventory 8085).
EXPOSE 8081 8082 8083 8084 8085

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "docker/healthcheck.js", "/health/ready"]

# With no arguments the entrypoint starts dist/apps/$SERVICE/apps/$SERVICE/src/main.js;
# `rebuild <read-model>` runs that service's rebuild and `dead-letter-cli <command>` the
# dead-letter CLI (docker compose run todo-service rebuild todo-views). It execs node, so
# SIGTERM reaches node (and Nest's shutdown hooks) without a shell in between. An ENTRYPOINT,
# not a CMD: arguments given to `docker run` are passed to it instead of replacing it.
ENTRYPOINT ["/bin/sh", "docker/entrypoint.sh"]
