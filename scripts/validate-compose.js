#!/usr/bin/env node
'use strict';

/**
 * Static checks for the container setup, run without Docker:
 *
 *   node scripts/validate-compose.js [composePath] [dockerfilePath]
 *
 * Defaults: docker-compose.yml and Dockerfile at the repository root.
 * Exits 1 with one line per problem, or prints a one-line summary and exits 0.
 *
 * docker-compose.yml
 *   - parses as YAML (merge keys allowed), has a `services` map, no obsolete `version` key
 *   - every service has a `build`, or an `image` pinned to a version tag or digest (never `latest`)
 *   - every depends_on target exists, every condition is valid, and a service waited on
 *     with service_healthy defines a healthcheck; healthcheck tests are well formed
 *   - named volumes used by services are declared at the top level
 *   - todo-service, notification-service and analytics-service exist, publish 8081/8082/8083,
 *     have a healthcheck on /health/ready, and their AMQP_URL / DATABASE_URL (and SMTP_URL
 *     when set) name compose services (a RabbitMQ and a PostgreSQL one), which they wait for
 *     with service_healthy
 * Dockerfile
 *   - exists; every FROM that is not an earlier stage is pinned like the compose images
 *   - the final stage switches to a non-root USER
 *
 * ${VAR}, ${VAR:-default} and the like are resolved against this process's environment,
 * as `docker compose` does (a .env file is not read).
 */

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');

const APP_SERVICES = {
  'todo-service': 8081,
  'notification-service': 8082,
  'analytics-service': 8083,
};

const DEPENDENCY_CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

/** Where each app URL variable must point. */
const URL_TARGETS = [
  { variable: 'AMQP_URL', protocols: ['amqp:', 'amqps:'], kind: 'RabbitMQ', image: /rabbitmq/i, required: true },
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

/** `ports` as [{ published, target }], both strings (published may be undefined). */
function portsOf(service) {
  const ports = Array.isArray(service.ports) ? service.ports : [];
  return ports.map((entry) => {
    if (isPlainObject(entry)) {
      return { published: entry.published === undefined ? undefined : String(entry.published), target: String(entry.target) };
    }
    const spec = String(entry).replace(/\/(tcp|udp|sctp)$/i, '');
    const fields = spec.startsWith('[') ? spec.replace(/^\[[^\]]*\]:/, '').split(':') : spec.split(':');
    const target = fields[fields.length - 1];
    const published = fields.length >= 2 ? fields[fields.length - 2] : undefined;
    return { published: published || undefined, target };
  });
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

    const buildService = buildArgsOf(service).SERVICE;
    if (buildService !== undefined && String(buildService) !== name)
      fail(`${where}: build arg SERVICE is "${buildService}", expected "${name}"`);

    for (const target of URL_TARGETS) {
      const value = env[target.variable];
      if (value === undefined || value === '') {
        if (target.required)
          fail(`${where}: ${target.variable} is not set in "environment"${service.env_file ? ' (env_file is not inspected)' : ''}`);
        continue;
      }
      let url;
      try {
        url = new URL(value);
      } catch {
        fail(`${where}: ${target.variable} "${value}" is not a valid URL`);
        continue;
      }
      if (!target.protocols.includes(url.protocol)) {
        fail(`${where}: ${target.variable} must use ${target.protocols.map((p) => `${p}//`).join(' or ')} (got ${url.protocol}//)`);
      }
      const host = url.hostname;
      if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/.test(host)) {
        fail(
          `${where}: ${target.variable} points at ${host}, which inside a container is the container itself; use the compose service name`,
        );
        continue;
      }
      const owner = hostOwner.get(host);
      if (!owner) {
        fail(`${where}: ${target.variable} host "${host}" is not a service (or alias) in this file`);
        continue;
      }
      const ownerImage = String(services[owner].image ?? '');
      if (target.image && !target.image.test(ownerImage)) {
        fail(
          `${where}: ${target.variable} points at "${owner}", which does not look like ${target.kind} (image "${ownerImage || 'built locally'}")`,
        );
      }
      if (target.required && deps[owner]?.condition !== 'service_healthy') {
        fail(`${where} uses "${owner}" via ${target.variable} but does not depend on it with condition service_healthy`);
      }
    }
  }

  return { services: names.length, built, pinnedImages };
}

// ---------------------------------------------------------------------------
// Dockerfile

/** Logical instructions: continuations joined, comments and heredoc bodies dropped. */
function dockerInstructions(text) {
  const lines = text.split(/\r?\n/);
  const instructions = [];
  let current = null;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^\s*#/.test(line) || (current === null && line.trim() === '')) continue;
    const piece = line.replace(/\\\s*$/, '');
    current = current === null ? { text: piece.trim(), line: i + 1 } : { ...current, text: `${current.text} ${piece.trim()}` };
    if (/\\\s*$/.test(line)) continue;

    instructions.push(current);
    // Skip heredoc bodies (RUN <<EOF ... EOF) so their contents are not read as instructions.
    const heredocs = [...current.text.matchAll(/<<(-?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)];
    for (const [, dash, delimiter] of heredocs) {
      while (i + 1 < lines.length && (dash ? lines[i + 1].replace(/^\t+/, '') : lines[i + 1]) !== delimiter) i += 1;
      i += 1;
    }
    current = null;
  }
  if (current !== null) instructions.push(current);
  return instructions.map(({ text: t, line }) => {
    const [, keyword = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(t) ?? [];
    return { keyword: keyword.toUpperCase(), args: rest.trim(), line };
  });
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

  const externalBases = [
    ...new Set(stages.filter((s) => !stages.some((o) => o.name && o.name === s.base.toLowerCase())).map((s) => s.base)),
  ];
  return { stages: stages.length, bases: externalBases, user };
}

// ---------------------------------------------------------------------------

function main(argv) {
  const composePath = path.resolve(argv[0] ?? path.join(ROOT, 'docker-compose.yml'));
  const dockerfilePath = path.resolve(argv[1] ?? path.join(ROOT, 'Dockerfile'));
  const errors = [];

  const compose = checkCompose(composePath, errors);
  const dockerfile = checkDockerfile(dockerfilePath, errors);

  if (errors.length > 0) {
    process.stderr.write(`validate-compose: ${errors.length} problem(s)\n${errors.map((e) => `  - ${e}\n`).join('')}`);
    return 1;
  }

  const rel = (p) => path.relative(process.cwd(), p) || p;
  process.stdout.write(
    `validate-compose OK: ${rel(composePath)} (${compose.services} services: ${compose.built} built, ` +
      `${compose.pinnedImages.length} pinned images; apps on ${Object.values(APP_SERVICES).join('/')} wired to broker + database) ` +
      `and ${rel(dockerfilePath)} (${dockerfile.stages} stages from ${dockerfile.bases.join(', ')}, runs as ${dockerfile.user})\n`,
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { main, unpinnedReason, parseImageRef, interpolate };
