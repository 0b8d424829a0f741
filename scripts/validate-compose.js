#!/usr/bin/env node
'use strict';

/**
 * Checks of the container setup, run without Docker (npm run check:image builds the image itself):
 *
 *   node scripts/validate-compose.js [composePath] [dockerfilePath]
 *
 * Defaults: docker-compose.yml and Dockerfile at the repository root.
 * Exits 1 with one line per problem, or prints a one-line summary and exits 0.
 *
 * docker-compose.yml
 *   - parses as YAML (merge keys allowed), has a `services` map, no obsolete `version` key
 *   - every service has a `build`, or an `image` pinned to a version tag or digest (never `latest`)
 *   - the images are of the lines the platform is built and tested for (IMAGE_LINES): RabbitMQ of
 *     RABBITMQ_LINE's major, at its minor or later, with management, one release on every node;
 *     PostgreSQL of the major CI tests on; Jaeger v2 (jaegertracing/jaeger), not v1's all-in-one
 *   - every depends_on target exists, every condition is valid, and a service waited on
 *     with service_healthy defines a healthcheck; healthcheck tests are well formed
 *   - named volumes used by services are declared at the top level
 *   - every published port is bound to a loopback address (127.0.0.1), never to all interfaces
 *   - every long-running service (all but one-off jobs waited for with
 *     service_completed_successfully) defines a healthcheck
 *   - every app service (todo, notification, analytics, order, inventory) exists, publishes its port (8081 … 8085),
 *     have a healthcheck on /health/ready, and their AMQP_URL / DATABASE_URL (and SMTP_URL
 *     when set) name compose services (a RabbitMQ and a PostgreSQL one), which they wait for
 *     with service_healthy; their stop_grace_period (Docker's default 10s when unset) is longer
 *     than their SHUTDOWN_TIMEOUT_MS (from "environment", else the default in
 *     libs/config/src/service-env.ts), so their own bounded shutdown ends before SIGKILL
 * Dockerfile
 *   - exists; every FROM that is not an earlier stage is pinned like the compose images
 *   - the final stage switches to a non-root USER
 *   - the final stage has an exec-form ENTRYPOINT (so `docker run <image> <args>` reaches it),
 *     and its script, run against stub main.js files, starts $SERVICE with no arguments, passes
 *     `rebuild <read-model>` to that service, runs `dead-letter-cli <args>` with the rest of the
 *     arguments, and refuses an unknown SERVICE or command
 *
 * ${VAR}, ${VAR:-default} and the like are resolved against this process's environment,
 * as `docker compose` does (a .env file is not read).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');
const { dockerInstructions, dockerStages, execForm } = require('./dockerfile');
const { readCommandLine, refuse } = require('./cli-usage');

const ROOT = path.resolve(__dirname, '..');

const APP_SERVICES = {
  'todo-service': 8081,
  'notification-service': 8082,
  'analytics-service': 8083,
  'order-service': 8084,
  'inventory-service': 8085,
};

/** Where the RabbitMQ line the platform is built for (RABBITMQ_LINE) is declared. */
const BROKER_VERSION_SOURCE = path.join(ROOT, 'libs', 'messaging', 'src', 'connection', 'broker-version.ts');
/** The PostgreSQL major CI runs the tests on: Debian 12's postgresql (.ci/run starts the machine's). */
const CI_POSTGRES_MAJOR = 15;

/**
 * The release line each kind of image must be of, by image name (a tag's leading major.minor).
 * RabbitMQ's comes from RABBITMQ_LINE, which the definitions compose loads are written for.
 */
const IMAGE_LINES = [
  {
    kind: 'RabbitMQ',
    name: /^(docker\.io\/)?(library\/)?rabbitmq$/,
    line: () => rabbitmqLine(),
    orLater: true,
    variant: { pattern: /-management(-|$)/, why: 'the management plugin (the console on 15672)' },
  },
  { kind: 'PostgreSQL', name: /^(docker\.io\/)?(library\/)?postgres$/, line: () => ({ major: CI_POSTGRES_MAJOR }) },
  { kind: 'Jaeger', name: /^(docker\.io\/)?jaegertracing\/jaeger$/, line: () => ({ major: 2 }), orLater: true },
];
/** Images of a line that has ended, and what replaces them. */
const RETIRED_IMAGES = [
  { name: /^(docker\.io\/)?jaegertracing\/all-in-one$/, instead: 'jaegertracing/jaeger 2.x (Jaeger v1 ended with 1.76.0, December 2025)' },
];

/** Where the services' default SHUTDOWN_TIMEOUT_MS is declared. */
const SERVICE_ENV_SOURCE = path.join(ROOT, 'libs', 'config', 'src', 'service-env.ts');
/** Docker's stop_grace_period when none is set. */
const DEFAULT_GRACE_MS = 10_000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;
/** The env file of the three-node cluster profile, and its nodes. */
const CLUSTER_ENV = path.join(ROOT, 'docker', 'rabbitmq-cluster', 'cluster.env');
const CLUSTER_NODES = ['rabbitmq-1', 'rabbitmq-2', 'rabbitmq-3'];

const DEPENDENCY_CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

/** Where each app URL variable must point. */
const URL_TARGETS = [
  { variable: 'AMQP_URL', protocols: ['amqp:', 'amqps:'], kind: 'RabbitMQ', image: /rabbitmq/i, required: true },
  // One URL per node of a cluster, comma-separated; each is held to AMQP_URL's rules.
  {
    variable: 'AMQP_URLS',
    protocols: ['amqp:', 'amqps:'],
    kind: 'RabbitMQ',
    image: /rabbitmq/i,
    required: false,
    list: true,
    waitedFor: true,
  },
  {
    variable: 'DATABASE_URL',
    protocols: ['postgres:', 'postgresql:'],
    kind: 'PostgreSQL',
    image: /postgres|postgis|timescale/i,
    required: true,
  },
  { variable: 'SMTP_URL', protocols: ['smtp:', 'smtps:'], kind: 'SMTP', image: null, required: false },
];

// ---------------------------------------------------------------------------
// helpers

const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Splits an image reference into name, tag and digest. */
function parseImageRef(ref) {
  const [withoutDigest, digest] = ref.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  return {
    name: hasTag ? withoutDigest.slice(0, lastColon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(lastColon + 1) : undefined,
    digest,
  };
}

/** Returns why an image reference is not pinned, or null when it is. */
function unpinnedReason(ref) {
  if (!ref) return 'no image reference';
  const { tag, digest } = parseImageRef(ref);
  if (digest) return /^sha256:[0-9a-f]{64}$/i.test(digest) ? null : `malformed digest "@${digest}"`;
  if (tag === undefined) return 'has no tag (that means latest)';
  if (/latest/i.test(tag)) return `uses the floating tag "${tag}"`;
  if (!/\d+\.\d+/.test(tag)) return `tag "${tag}" is not a specific version (expected e.g. 1.2 or 1.2.3)`;
  return null;
}

/** Compose-style ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?msg}, ${VAR:+alt}, $VAR and $$. */
function interpolate(text, env, where, errors) {
  return text.replace(/\$(?:(\$)|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, dollar, braced, bare) => {
    if (dollar) return '$';
    if (bare) return env[bare] ?? '';
    const parts = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(braced);
    if (!parts) {
      errors.push(`${where}: invalid interpolation "${match}"`);
      return '';
    }
    const [, name, op, arg = ''] = parts;
    const value = env[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case undefined:
        return value ?? '';
      case ':-':
        return nonEmpty ? value : arg;
      case '-':
        return set ? value : arg;
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default: {
        // :? and ?
        const ok = op === ':?' ? nonEmpty : set;
        if (!ok) errors.push(`${where}: required variable ${name} is not set${arg ? ` (${arg})` : ''}`);
        return value ?? '';
      }
    }
  });
}

function interpolateTree(node, env, where, errors) {
  if (typeof node === 'string') return interpolate(node, env, where, errors);
  if (Array.isArray(node)) return node.map((item, i) => interpolateTree(item, env, `${where}[${i}]`, errors));
  if (isPlainObject(node)) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env, `${where}.${key}`, errors)]));
  }
  return node;
}

/** `environment` as a map; list entries without "=" take their value from the shell. */
function environmentOf(service) {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq === -1 ? [text, process.env[text]] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isPlainObject(env)) {
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
  }
  return {};
}

/** `depends_on` as { name: { condition } }. */
function dependenciesOf(service) {
  const deps = service.depends_on;
  if (deps === undefined || deps === null) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [String(name), { condition: 'service_started' }]));
  if (isPlainObject(deps)) {
    return Object.fromEntries(
      Object.entries(deps).map(([name, spec]) => [name, { condition: 'service_started', ...(isPlainObject(spec) ? spec : {}) }]),
    );
  }
  return null;
}

/** `ports` as [{ hostIp, published, target }], all strings (hostIp and published may be undefined). */
function portsOf(service) {
  const ports = Array.isArray(service.ports) ? service.ports : [];
  return ports.map((entry) => {
    if (isPlainObject(entry)) {
      return {
        hostIp: entry.host_ip === undefined ? undefined : String(entry.host_ip),
        published: entry.published === undefined ? undefined : String(entry.published),
        target: String(entry.target),
      };
    }
    const spec = String(entry).replace(/\/(tcp|udp|sctp)$/i, '');
    const bracketed = /^\[([^\]]*)\]:/.exec(spec);
    const fields = (bracketed ? spec.slice(bracketed[0].length) : spec).split(':');
    const target = fields[fields.length - 1];
    const published = fields.length >= 2 ? fields[fields.length - 2] : undefined;
    const hostIp = bracketed ? bracketed[1] : fields.length >= 3 ? fields[0] : undefined;
    return { hostIp: hostIp || undefined, published: published || undefined, target };
  });
}

/** A compose duration ("15s", "1m30s", "500ms") in milliseconds, or null when malformed. */
function durationMs(text) {
  const units = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, ns: 0.000001 };
  const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(text)) return null;
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * units[unit], 0);
}

/** The default of SHUTDOWN_TIMEOUT_MS in the services' config class, read from its source. */
function defaultShutdownTimeoutMs() {
  const source = fs.existsSync(SERVICE_ENV_SOURCE) ? fs.readFileSync(SERVICE_ENV_SOURCE, 'utf8') : '';
  const match = /\bSHUTDOWN_TIMEOUT_MS\s*=\s*([\d_]+)\s*;/.exec(source);
  return match ? Number(match[1].replace(/_/g, '')) : null;
}

/** RABBITMQ_LINE's major and minor, read from its source. */
function rabbitmqLine() {
  const source = fs.existsSync(BROKER_VERSION_SOURCE) ? fs.readFileSync(BROKER_VERSION_SOURCE, 'utf8') : '';
  const match = /\bRABBITMQ_LINE\b[^=]*=\s*parseBrokerVersion\(\s*'(\d+)\.(\d+)'\s*\)/.exec(source);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : null;
}

function imageLinesSummary() {
  return IMAGE_LINES.map((l) => {
    const line = l.line() ?? {};
    return `${l.kind} ${line.major}${line.minor === undefined ? '' : `.${line.minor}`}${l.orLater ? '+' : ''}`;
  }).join(', ');
}

/** Why a pinned image is not of its kind's line, or null when it is (or no line applies to it). */
function offLineReason(ref) {
  const { name, tag } = parseImageRef(ref);
  const retired = RETIRED_IMAGES.find((r) => r.name.test(name));
  if (retired) return `${name} is retired; use ${retired.instead}`;
  const expected = IMAGE_LINES.find((l) => l.name.test(name));
  if (!expected) return null;
  const line = expected.line();
  if (!line) return `no ${expected.kind} line to check against (none found in ${path.relative(ROOT, BROKER_VERSION_SOURCE)})`;
  const version = /^v?(\d+)(?:\.(\d+))?/.exec(tag ?? '');
  if (!version) return `its tag "${tag ?? ''}" names no ${expected.kind} version`;
  const [major, minor] = [Number(version[1]), Number(version[2] ?? 0)];
  const wanted = `${line.major}${line.minor === undefined ? '' : `.${line.minor}`}`;
  if (major !== line.major) return `${expected.kind} ${major}.x, not the ${line.major}.x line`;
  if (line.minor !== undefined && (expected.orLater ? minor < line.minor : minor !== line.minor))
    return `${expected.kind} ${major}.${minor}, older than ${wanted}`;
  if (expected.variant && !expected.variant.pattern.test(tag)) return `the tag "${tag}" lacks ${expected.variant.why}`;
  return null;
}

function healthcheckOf(service) {
  const hc = service.healthcheck;
  if (!isPlainObject(hc) || hc.disable === true) return null;
  const test = Array.isArray(hc.test) ? hc.test.map(String) : typeof hc.test === 'string' ? [hc.test] : null;
  if (test && test[0] === 'NONE') return null;
  return { ...hc, test };
}

function buildArgsOf(service) {
  const args = isPlainObject(service.build) ? service.build.args : undefined;
  if (Array.isArray(args)) {
    return Object.fromEntries(args.map((a) => String(a).split(/=(.*)/s, 2)));
  }
  return isPlainObject(args) ? args : {};
}

// ---------------------------------------------------------------------------
// docker-compose.yml

function checkCompose(composePath, errors) {
  const fail = (message) => errors.push(`${path.basename(composePath)}: ${message}`);

  if (!fs.existsSync(composePath)) {
    fail(`not found at ${composePath}`);
    return null;
  }
  const doc = YAML.parseDocument(fs.readFileSync(composePath, 'utf8'), { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) fail(`YAML error: ${error.message.split('\n')[0].replace(/:\s*$/, '')}`);
    return null;
  }
  const raw = doc.toJS({ maxAliasCount: 1000 });
  if (!isPlainObject(raw)) {
    fail('top level is not a mapping');
    return null;
  }
  if ('version' in raw) fail('has a top-level "version" key; it is obsolete in the Compose Specification, remove it');
  if (!isPlainObject(raw.services) || Object.keys(raw.services).length === 0) {
    fail('has no "services" mapping');
    return null;
  }

  const services = interpolateTree(raw.services, process.env, 'services', errors);
  const names = Object.keys(services);
  const declaredVolumes = new Set(Object.keys(isPlainObject(raw.volumes) ? raw.volumes : {}));

  // Names other containers can resolve: service names, container names, network aliases.
  const hostOwner = new Map(names.map((name) => [name, name]));
  for (const [name, service] of Object.entries(services)) {
    if (!isPlainObject(service)) continue;
    if (service.container_name) hostOwner.set(String(service.container_name), name);
    if (isPlainObject(service.networks)) {
      for (const net of Object.values(service.networks)) {
        for (const alias of isPlainObject(net) && Array.isArray(net.aliases) ? net.aliases : []) hostOwner.set(String(alias), name);
      }
    }
  }

  let built = 0;
  const pinnedImages = [];
  const graceChecks = [];
  /** The RabbitMQ services each app reaches, by its AMQP_URL and AMQP_URLS. */
  const brokerHosts = {};

  for (const [name, service] of Object.entries(services)) {
    const where = `service "${name}"`;
    if (!isPlainObject(service)) {
      fail(`${where} is not a mapping`);
      continue;
    }

    // image / build
    if (service.build !== undefined) {
      built += 1;
    } else if (service.image === undefined || service.image === null || service.image === '') {
      fail(`${where} has neither "image" nor "build"`);
    } else {
      const reason = unpinnedReason(String(service.image));
      if (reason) fail(`${where}: image "${service.image}" is not pinned: ${reason}`);
      else pinnedImages.push(String(service.image));
      const offLine = reason ? null : offLineReason(String(service.image));
      if (offLine) fail(`${where}: image "${service.image}" is off the line the platform is built and tested for: ${offLine}`);
    }

    // healthcheck shape
    if (isPlainObject(service.healthcheck) && service.healthcheck.disable !== true) {
      const test = service.healthcheck.test;
      const valid =
        (typeof test === 'string' && test.trim() !== '') ||
        (Array.isArray(test) && ['CMD', 'CMD-SHELL', 'NONE'].includes(String(test[0])) && (test[0] === 'NONE' || test.length > 1));
      if (!valid) fail(`${where}: healthcheck.test must be a string or ["CMD", ...] / ["CMD-SHELL", "..."]`);
    }

    // depends_on
    const deps = dependenciesOf(service);
    if (deps === null) {
      fail(`${where}: depends_on must be a list or a mapping`);
    } else {
      for (const [target, spec] of Object.entries(deps)) {
        if (target === name) fail(`${where} depends on itself`);
        if (!(target in services)) {
          fail(`${where} depends on "${target}", which is not a service in this file`);
          continue;
        }
        if (!DEPENDENCY_CONDITIONS.has(spec.condition)) {
          fail(`${where}: depends_on "${target}" has condition "${spec.condition}"; use one of ${[...DEPENDENCY_CONDITIONS].join(', ')}`);
        } else if (spec.condition === 'service_healthy' && !healthcheckOf(services[target] ?? {})) {
          fail(`${where} waits for "${target}" with service_healthy, but "${target}" defines no healthcheck`);
        }
        // A service of a profile this one is not in only runs with that profile: without required: false,
        // a plain `docker compose up` would refuse to start this one.
        const targetProfiles = Array.isArray(services[target]?.profiles) ? services[target].profiles : [];
        const ownProfiles = Array.isArray(service.profiles) ? service.profiles : [];
        if (targetProfiles.length > 0 && !targetProfiles.some((p) => ownProfiles.includes(p)) && spec.required !== false) {
          fail(`${where} depends on "${target}", which runs only with profile ${targetProfiles.join('/')}: mark it required: false`);
        }
      }
    }

    // named volumes (a source without a path separator is a volume name, not a bind mount)
    for (const volume of Array.isArray(service.volumes) ? service.volumes : []) {
      let source;
      if (isPlainObject(volume)) {
        if ((volume.type ?? 'volume') === 'volume') source = volume.source;
      } else {
        const fields = String(volume).split(':');
        if (fields.length >= 2) source = fields[0];
      }
      if (source && !/[/\\~.]/.test(source[0]) && !source.includes('/') && !declaredVolumes.has(source)) {
        fail(`${where} mounts volume "${source}", which is not declared under top-level "volumes"`);
      }
    }

    // published ports stay on this machine
    for (const { hostIp, published, target } of portsOf(service)) {
      if (!hostIp || !LOOPBACK.test(hostIp)) {
        const spec = `${published ?? ''}:${target}`.replace(/^:/, '');
        fail(
          `${where} publishes ${spec} on ${hostIp ?? 'every interface'}; bind it to loopback ('127.0.0.1:${published ?? target}:${target}')`,
        );
      }
    }

    // long-running services report their health (one-off jobs are waited for by completion instead)
    const oneOff = Object.values(services).some(
      (other) => isPlainObject(other) && dependenciesOf(other)?.[name]?.condition === 'service_completed_successfully',
    );
    if (!oneOff && !healthcheckOf(service)) fail(`${where} runs long but defines no healthcheck`);
  }

  // app services
  for (const [name, port] of Object.entries(APP_SERVICES)) {
    const where = `app service "${name}"`;
    const service = services[name];
    if (!isPlainObject(service)) {
      fail(`${where} is missing`);
      continue;
    }
    const env = environmentOf(service);
    const deps = dependenciesOf(service) ?? {};

    const hc = healthcheckOf(service);
    if (!hc) fail(`${where} has no healthcheck`);
    else if (!(hc.test ?? []).join(' ').includes('/health/ready')) fail(`${where}: healthcheck does not hit /health/ready`);

    const ports = portsOf(service);
    const mapping = ports.find((p) => p.target === String(port));
    if (!mapping)
      fail(
        `${where} does not publish container port ${port} (ports: ${ports.map((p) => `${p.published ?? '?'}:${p.target}`).join(', ') || 'none'})`,
      );
    else if (!mapping.published) fail(`${where}: container port ${port} has no fixed host port`);
    if (env.PORT !== undefined && env.PORT !== String(port)) fail(`${where}: PORT is ${env.PORT} but the service is expected on ${port}`);

    const shutdownMs = env.SHUTDOWN_TIMEOUT_MS !== undefined ? Number(env.SHUTDOWN_TIMEOUT_MS) : defaultShutdownTimeoutMs();
    const graceMs = service.stop_grace_period === undefined ? DEFAULT_GRACE_MS : durationMs(service.stop_grace_period);
    const grace = service.stop_grace_period === undefined ? "10s (Docker's default)" : String(service.stop_grace_period);
    if (shutdownMs === null || Number.isNaN(shutdownMs)) {
      fail(
        `${where}: no SHUTDOWN_TIMEOUT_MS to compare stop_grace_period with (none in "environment", none found in ${path.relative(ROOT, SERVICE_ENV_SOURCE)})`,
      );
    } else if (graceMs === null) {
      fail(`${where}: stop_grace_period "${service.stop_grace_period}" is not a duration like 15s or 1m30s`);
    } else if (graceMs <= shutdownMs) {
      fail(
        `${where}: stop_grace_period ${grace} is not longer than SHUTDOWN_TIMEOUT_MS ${shutdownMs} ms, so Docker kills the service before its own shutdown deadline`,
      );
    } else {
      graceChecks.push(`${name} ${grace} > ${shutdownMs} ms`);
    }

    const buildService = buildArgsOf(service).SERVICE;
    if (buildService !== undefined && String(buildService) !== name)
      fail(`${where}: build arg SERVICE is "${buildService}", expected "${name}"`);

    for (const target of URL_TARGETS) {
      const set = env[target.variable];
      if (set === undefined || set === '') {
        if (target.required)
          fail(`${where}: ${target.variable} is not set in "environment"${service.env_file ? ' (env_file is not inspected)' : ''}`);
        continue;
      }
      for (const value of target.list ? set.split(',').map((v) => v.trim()) : [set]) {
        const host = checkUrl(target, value);
        if (host) (brokerHosts[name] ??= new Set()).add(host);
      }
    }

    function checkUrl(target, value) {
      let url;
      try {
        url = new URL(value);
      } catch {
        fail(`${where}: ${target.variable} "${value}" is not a valid URL`);
        return undefined;
      }
      if (!target.protocols.includes(url.protocol)) {
        fail(`${where}: ${target.variable} must use ${target.protocols.map((p) => `${p}//`).join(' or ')} (got ${url.protocol}//)`);
      }
      const host = url.hostname;
      if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/.test(host)) {
        fail(
          `${where}: ${target.variable} points at ${host}, which inside a container is the container itself; use the compose service name`,
        );
        return undefined;
      }
      const owner = hostOwner.get(host);
      if (!owner) {
        fail(`${where}: ${target.variable} host "${host}" is not a service (or alias) in this file`);
        return undefined;
      }
      const ownerImage = String(services[owner].image ?? '');
      if (target.image && !target.image.test(ownerImage)) {
        fail(
          `${where}: ${target.variable} points at "${owner}", which does not look like ${target.kind} (image "${ownerImage || 'built locally'}")`,
        );
      }
      if ((target.required || target.waitedFor) && deps[owner]?.condition !== 'service_healthy') {
        fail(`${where} uses "${owner}" via ${target.variable} but does not depend on it with condition service_healthy`);
      }
      return target.kind === 'RabbitMQ' ? owner : undefined;
    }
  }

  return { services: names.length, built, pinnedImages, graceChecks, brokerHosts, services_: services };
}

/** KEY=VALUE lines of a compose env file (comments and blank lines skipped). */
function readEnvFile(file) {
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim();
  }
  return env;
}

/**
 * The cluster profile, checked as `docker compose --env-file <CLUSTER_ENV> --profile cluster up`
 * resolves it: every node is in the profile, and every app is given all of them (AMQP_URLS),
 * waits for each to be healthy, and declares quorum queues.
 */
function checkClusterProfile(composePath, errors) {
  const fail = (message) => errors.push(`${path.basename(composePath)} (cluster profile): ${message}`);
  if (!fs.existsSync(CLUSTER_ENV)) {
    fail(`${path.relative(ROOT, CLUSTER_ENV)} is missing`);
    return null;
  }
  const clusterEnv = readEnvFile(CLUSTER_ENV);
  const saved = { ...process.env };
  // As compose reads an env file: a variable set in the shell wins.
  for (const [key, value] of Object.entries(clusterEnv)) if (process.env[key] === undefined) process.env[key] = value;
  const profileErrors = [];
  let compose;
  try {
    compose = checkCompose(composePath, profileErrors);
  } finally {
    for (const key of Object.keys(clusterEnv)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
  for (const error of profileErrors) fail(error);
  if (!compose) return null;
  for (const node of CLUSTER_NODES) {
    const service = compose.services_[node];
    if (!isPlainObject(service)) fail(`node "${node}" is missing`);
    else if (!(service.profiles ?? []).includes('cluster')) fail(`node "${node}" is not in the "cluster" profile`);
  }
  // The nodes of a cluster run one release (a mixed-version cluster is only an upgrade's passing state),
  // and it is the single node's: the definitions of both are written for one line.
  const brokerImages = new Set(['rabbitmq', ...CLUSTER_NODES].map((n) => compose.services_[n]?.image).filter(Boolean));
  if (brokerImages.size > 1) fail(`the RabbitMQ services run different images (${[...brokerImages].join(', ')}); run one release`);
  for (const app of Object.keys(APP_SERVICES)) {
    const hosts = [...(compose.brokerHosts[app] ?? [])].sort();
    if (hosts.join(',') !== CLUSTER_NODES.join(','))
      fail(`${app} reaches ${hosts.join(', ') || 'no broker'}, not every node (${CLUSTER_NODES.join(', ')})`);
    const queueType = environmentOf(compose.services_[app] ?? {}).QUEUE_TYPE;
    if (queueType !== 'quorum') fail(`${app} declares ${queueType ?? 'classic'} queues, not quorum`);
  }
  return { nodes: CLUSTER_NODES.length };
}

// ---------------------------------------------------------------------------
// Dockerfile

/**
 * What the entrypoint must do for `docker run <image> <args>` with SERVICE set: run which app's
 * main.js with which arguments, or refuse (exit non-zero).
 */
const ENTRYPOINT_CASES = [
  ...Object.keys(APP_SERVICES).map((service) => ({ service, args: [], app: service, appArgs: [] })),
  { service: 'todo-service', args: ['rebuild', 'todo-views'], app: 'todo-service', appArgs: ['rebuild', 'todo-views'] },
  {
    service: 'analytics-service',
    args: ['rebuild', 'analytics', '--batch-size', '10'],
    app: 'analytics-service',
    appArgs: ['rebuild', 'analytics', '--batch-size', '10'],
  },
  {
    service: 'notification-service',
    args: ['dead-letter-cli', 'redrive', 'notification-service', '--all'],
    app: 'dead-letter-cli',
    appArgs: ['redrive', 'notification-service', '--all'],
  },
  { service: 'no-such-service', args: [], refused: true },
  { service: 'todo-service', args: ['no-such-command'], refused: true },
];
const ENTRYPOINT_APPS = [...Object.keys(APP_SERVICES), 'dead-letter-cli'];

/**
 * Runs the ENTRYPOINT's script (found at the same relative path in the repository) in a temp
 * folder whose dist/apps/<app>/apps/<app>/src/main.js are stubs printing their arguments.
 */
function checkEntrypointCommands(entrypoint, where, fail) {
  const script = entrypoint.find((arg) => !path.isAbsolute(arg) && fs.existsSync(path.join(ROOT, arg)));
  if (!script) {
    fail(`${where}: ENTRYPOINT ${JSON.stringify(entrypoint)} names no script found in the repository, so its commands cannot be checked`);
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-entrypoint-'));
  try {
    fs.mkdirSync(path.dirname(path.join(dir, script)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, script), path.join(dir, script));
    for (const app of ENTRYPOINT_APPS) {
      const main = path.join(dir, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
      fs.mkdirSync(path.dirname(main), { recursive: true });
      fs.writeFileSync(main, `process.stdout.write(JSON.stringify({ app: ${JSON.stringify(app)}, args: process.argv.slice(2) }));\n`);
    }
    let failures = 0;
    for (const { service, args, app, appArgs, refused } of ENTRYPOINT_CASES) {
      const call = `\`docker run <image>${args.map((a) => ` ${a}`).join('')}\` with SERVICE=${service}`;
      const run = spawnSync(entrypoint[0], [...entrypoint.slice(1), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH, SERVICE: service },
        encoding: 'utf8',
        timeout: 10_000,
      });
      const problem = (message) => {
        failures += 1;
        fail(`${where}: ${script}: ${call} ${message}`);
      };
      if (run.error) problem(`could not run: ${run.error.message}`);
      else if (refused) {
        if (run.status === 0) problem(`exited 0 (ran ${run.stdout.trim() || 'nothing'}); it should refuse`);
      } else if (run.status !== 0) problem(`exited with ${run.status ?? run.signal}: ${run.stderr.trim().split('\n')[0]}`);
      else {
        let got;
        try {
          got = JSON.parse(run.stdout);
        } catch {
          got = null;
        }
        const expected = `${app} main.js with [${appArgs.join(', ')}]`;
        if (!got || got.app !== app || JSON.stringify(got.args) !== JSON.stringify(appArgs)) {
          problem(`ran ${got ? `${got.app} main.js with [${got.args.join(', ')}]` : `"${run.stdout.trim()}"`}, expected ${expected}`);
        }
      }
    }
    return failures === 0 ? script : null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function checkDockerfile(dockerfilePath, errors) {
  const fail = (message) => errors.push(`${path.basename(dockerfilePath)}: ${message}`);
  if (!fs.existsSync(dockerfilePath)) {
    fail(`not found at ${dockerfilePath}`);
    return null;
  }

  const globalArgs = {};
  const stages = []; // { name, base, user, line }
  for (const { keyword, args, line } of dockerInstructions(fs.readFileSync(dockerfilePath, 'utf8'))) {
    if (keyword === 'ARG' && stages.length === 0) {
      for (const token of args.split(/\s+/)) {
        const [argName, ...value] = token.split('=');
        globalArgs[argName] = value.length > 0 ? value.join('=').replace(/^["']|["']$/g, '') : undefined;
      }
    } else if (keyword === 'FROM') {
      const tokens = args.split(/\s+/).filter((t) => !t.startsWith('--'));
      const rawImage = tokens[0] ?? '';
      const stageName = tokens.length >= 3 && tokens[1].toUpperCase() === 'AS' ? tokens[2].toLowerCase() : undefined;
      const unresolved = [];
      const image = rawImage.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g, (_, name, fallback) => {
        const value = globalArgs[name] ?? fallback;
        if (value === undefined) unresolved.push(name);
        return value ?? '';
      });
      const parent = stages.find((s) => s.name === image.toLowerCase());

      if (!rawImage) fail(`line ${line}: FROM without an image`);
      else if (unresolved.length > 0)
        fail(`line ${line}: FROM ${rawImage} uses ${unresolved.join(', ')} without a default, so the pin cannot be checked`);
      else if (!parent && image !== 'scratch') {
        const reason = unpinnedReason(image);
        if (reason) fail(`line ${line}: FROM ${image} is not pinned: ${reason}`);
      }
      stages.push({ name: stageName, base: image, user: parent ? parent.user : undefined, line });
    } else if (keyword === 'USER' && stages.length > 0) {
      stages[stages.length - 1].user = args.split(/\s+/)[0];
    }
  }

  if (stages.length === 0) {
    fail('has no FROM instruction');
    return null;
  }
  const final = stages[stages.length - 1];
  const user = final.user;
  if (!user) fail(`final stage (line ${final.line}) never switches USER, so the container runs as root`);
  else if (/^(root|0)(:.*)?$/.test(user)) fail(`final stage runs as "${user}"; switch to a non-root user (e.g. USER node)`);

  const finalInstructions = dockerStages(fs.readFileSync(dockerfilePath, 'utf8')).stages.at(-1).instructions;
  const entrypoint = finalInstructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  let entrypointScript = null;
  if (!entrypoint) {
    fail(
      `final stage has no ENTRYPOINT, so \`docker compose run <service> rebuild <read-model>\` would replace its command instead of reaching it`,
    );
  } else if (!execForm(entrypoint.args)) {
    fail(
      `line ${entrypoint.line}: ENTRYPOINT is in shell form, which ignores the arguments of docker run; use the exec form ["/bin/sh", "<script>"]`,
    );
  } else {
    entrypointScript = checkEntrypointCommands(execForm(entrypoint.args), `line ${entrypoint.line}`, fail);
  }

  const externalBases = [
    ...new Set(stages.filter((s) => !stages.some((o) => o.name && o.name === s.base.toLowerCase())).map((s) => s.base)),
  ];
  return { stages: stages.length, bases: externalBases, user, entrypointScript };
}

// ---------------------------------------------------------------------------

function main(argv) {
  const composePath = path.resolve(argv[0] ?? path.join(ROOT, 'docker-compose.yml'));
  const dockerfilePath = path.resolve(argv[1] ?? path.join(ROOT, 'Dockerfile'));
  const errors = [];

  const compose = checkCompose(composePath, errors);
  const cluster = compose && checkClusterProfile(composePath, errors);
  const dockerfile = checkDockerfile(dockerfilePath, errors);

  if (errors.length > 0) {
    process.stderr.write(`validate-compose: ${errors.length} problem(s)\n${errors.map((e) => `  - ${e}\n`).join('')}`);
    return 1;
  }

  const rel = (p) => path.relative(process.cwd(), p) || p;
  process.stdout.write(
    `validate-compose OK: ${rel(composePath)} (${compose.services} services: ${compose.built} built, ` +
      `${compose.pinnedImages.length} pinned images, each of its line (${imageLinesSummary()}); ports on loopback; healthchecks on all long-running services; ` +
      `apps on ${Object.values(APP_SERVICES).join('/')} wired to broker + database; stop grace: ${compose.graceChecks.join(', ')}; ` +
      `cluster profile: ${cluster.nodes} nodes, every app on all of them with quorum queues) ` +
      `and ${rel(dockerfilePath)} (${dockerfile.stages} stages from ${dockerfile.bases.join(', ')}, runs as ${dockerfile.user}; ` +
      `ENTRYPOINT ${dockerfile.entrypointScript}: start $SERVICE, rebuild <read-model>, dead-letter-cli <command>)\n`,
  );
  return 0;
}

/** The variables a compose file interpolates, in order of first use. */
function interpolatedVariables(composePath) {
  const text = fs.existsSync(composePath) ? fs.readFileSync(composePath, 'utf8') : '';
  return [...new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

if (require.main === module) {
  const VALIDATE_COMPOSE = {
    usage: ['npm run validate:compose', 'node scripts/validate-compose.js [<compose-file>] [<Dockerfile>]'],
    summary:
      'Checks the container setup without Docker: the compose file (pinned images, healthchecks, loopback ports, every ' +
      "app service wired to a RabbitMQ and a PostgreSQL service it waits for, stop grace longer than the service's own " +
      'shutdown, the cluster profile) and the Dockerfile (pinned bases, a non-root user, an entrypoint that starts ' +
      '$SERVICE, rebuild and dead-letter-cli). Prints a one-line summary and exits 0, or one line per problem and exits 1.',
    arguments: [
      ['<compose-file>', 'default docker-compose.yml at the repository root'],
      ['<Dockerfile>', 'default Dockerfile at the repository root'],
    ],
    environment: {
      [interpolatedVariables(path.join(ROOT, 'docker-compose.yml')).join(', ')]:
        "what docker-compose.yml interpolates (${VAR}, ${VAR:-default}), resolved against this process's environment " +
        'as docker compose does; a .env file is not read',
    },
  };
  const { positionals } = readCommandLine(VALIDATE_COMPOSE);
  if (positionals.length > 2) refuse(VALIDATE_COMPOSE, `unexpected argument ${positionals[2]}`);
  process.exitCode = main(positionals);
}

module.exports = { main, unpinnedReason, parseImageRef, interpolate };
