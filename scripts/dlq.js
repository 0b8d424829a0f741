#!/usr/bin/env node
'use strict';
/**
 * npm run dlq -- <command>: the dead-letter CLI (apps/dead-letter-cli), from its build,
 * compiled again only when a source changed.
 */
const { spawnSync } = require('node:child_process');
const { ensureBuilt } = require('./ensure-built');

const entry = ensureBuilt('dead-letter-cli');
const { status } = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
process.exit(status ?? 1);
