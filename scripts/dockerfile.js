'use strict';

/**
 * Reads a Dockerfile the way the container checks need it (scripts/validate-compose.js,
 * scripts/check-image-build.js): logical instructions, stages, exec or shell form, the
 * `--flag=value` options of COPY and RUN, and Docker's word splitting with ARG/ENV expansion.
 * The default escape character (\) only; parser directives are read as comments.
 */

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
    return { keyword: keyword.toUpperCase(), args: rest.trim(), line, text: t };
  });
}

/**
 * The ARGs before the first FROM and the stages, each { index, name, base, line, instructions }
 * (base as written; `name` lower-cased, as Docker compares stage names).
 */
function dockerStages(text) {
  const globalArgs = [];
  const stages = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const tokens = instruction.args.split(/\s+/).filter((t) => !t.startsWith('--'));
      const name = tokens.length >= 3 && tokens[1].toUpperCase() === 'AS' ? tokens[2].toLowerCase() : undefined;
      stages.push({ index: stages.length, name, base: tokens[0] ?? '', line: instruction.line, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') globalArgs.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The arguments of an exec-form instruction (a JSON array of strings), or null for shell form. */
function execForm(args) {
  if (!args.trimStart().startsWith('[')) return null;
  try {
    const parsed = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** Leading `--name=value` (or bare `--name`) options, and the text after them. */
function splitFlags(args) {
  const flags = {};
  let rest = args;
  for (let match; (match = /^--([A-Za-z-]+)(?:=(\S*))?\s*/.exec(rest));) {
    flags[match[1]] = match[2] ?? true;
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** $NAME, ${NAME}, ${NAME:-word} and ${NAME:+word}, as Docker expands them in instructions. */
function expandVariable(text, at, vars) {
  const braced = text[at + 1] === '{';
  if (!braced) {
    const [name] = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at + 1)) ?? [''];
    if (!name) return { value: '$', end: at + 1 };
    return { value: vars[name] ?? '', end: at + 1 + name.length };
  }
  const close = text.indexOf('}', at);
  if (close === -1) throw new Error(`unterminated \${ in "${text}"`);
  const [, name, op, word = ''] = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])(.*))?$/s.exec(text.slice(at + 2, close)) ?? [];
  if (!name) throw new Error(`unsupported variable expression "${text.slice(at, close + 1)}"`);
  const value = vars[name];
  const set = value !== undefined && value !== '';
  const expanded = op === ':-' ? (set ? value : word) : op === ':+' ? (set ? word : '') : (value ?? '');
  return { value: expanded, end: close + 1 };
}

/**
 * Splits an instruction's arguments into words as Docker does: whitespace separates,
 * quotes group and are removed, backslash escapes, and variables expand except inside
 * single quotes.
 */
function dockerWords(text, vars = {}) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
      i += 1;
    } else if (ch === '\\' && i + 1 < text.length && (quote === null || /["\\$]/.test(text[i + 1]))) {
      word = (word ?? '') + text[i + 1];
      i += 2;
    } else if (ch === '$') {
      const { value, end } = expandVariable(text, i, vars);
      word = (word ?? '') + value;
      i = end;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else word += ch;
      i += 1;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word = word ?? '';
      i += 1;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
      i += 1;
    } else {
      word = (word ?? '') + ch;
      i += 1;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in "${text}"`);
  if (word !== null) words.push(word);
  return words;
}

/**
 * ENV or ARG pairs: `KEY=value KEY2="x y"` ([key, undefined] for an ARG without a default),
 * or ENV's one-pair form `KEY value words`.
 */
function keyValuePairs(text, vars = {}, { onePairForm = false } = {}) {
  const [, first = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(text.trim()) ?? [];
  if (onePairForm && !first.includes('=')) return [[first, dockerWords(rest, vars).join(' ')]];
  return dockerWords(text, vars).map((word) => {
    const eq = word.indexOf('=');
    return eq === -1 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
  });
}

module.exports = { dockerInstructions, dockerStages, execForm, splitFlags, dockerWords, keyValuePairs };
