'use strict';

/**
 * .dockerignore matching as BuildKit does it (moby/patternmatcher), for scripts/check-image-build.js.
 * Patterns are relative to the context root and cleaned like paths; `*` and `?` never cross a `/`,
 * `**` spans any number of directories; a path is excluded when it or one of its parent
 * directories matches; the last matching pattern wins and `!` re-includes. Unlike .gitignore, a
 * pattern without a slash matches at the root only: `*.log` leaves `apps/x.log` in the context.
 */

const path = require('node:path');

/**
 * A regular expression for a Go filepath.Match pattern (what COPY sources use), or, with
 * doubleStar, for a .dockerignore pattern where `**` also matches across directories.
 */
function globToRegExp(pattern, { doubleStar = false } = {}) {
  let source = '^';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '*' && doubleStar && pattern[i + 1] === '*') {
      i += 1;
      if (pattern[i + 1] === '/') i += 1;
      source += i + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) throw new Error(`unterminated [ in pattern "${pattern}"`);
      source += `[${pattern.slice(i + 1, close).replace(/^\^/, '^/')}]`;
      i = close;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`${source}$`);
}

/** The patterns of a .dockerignore file, in order: { pattern, exclusion, regex }. */
function parseDockerignore(text) {
  const patterns = [];
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (rawLine.startsWith('#')) continue;
    let pattern = rawLine.trim();
    if (pattern === '') continue;
    const exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern === '') continue;
    pattern = path.posix.normalize(pattern).replace(/\/+$/, '');
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    patterns.push({ pattern: pattern || '/', exclusion, regex: globToRegExp(pattern, { doubleStar: true }) });
  }
  return patterns;
}

/**
 * A matcher over parsed patterns. `excludes(rel)` says whether a context path (posix, relative)
 * is left out of the build context; `mayReinclude(dir)` whether a `!` pattern could bring back
 * something under an excluded directory, so a walk knows when it can skip the directory.
 */
function dockerignoreMatcher(patterns) {
  const excludes = (rel) => {
    const parents = path.posix.dirname(rel).split('/');
    let matched = false;
    for (const { exclusion, regex } of patterns) {
      if (exclusion !== matched) continue;
      let match = regex.test(rel);
      if (!match && parents[0] !== '.') {
        for (let i = 1; i <= parents.length && !match; i += 1) match = regex.test(parents.slice(0, i).join('/'));
      }
      if (match) matched = !exclusion;
    }
    return matched;
  };
  const mayReinclude = (dir) => {
    const depth = dir.split('/').length;
    return patterns.some(({ exclusion, pattern }) => {
      if (!exclusion) return false;
      if (pattern.includes('**')) return true;
      const segments = pattern.split('/');
      return segments.length > depth && dir.split('/').every((segment, i) => globToRegExp(segments[i]).test(segment));
    });
  };
  return { excludes, mayReinclude };
}

module.exports = { globToRegExp, parseDockerignore, dockerignoreMatcher };
