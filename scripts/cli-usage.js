'use strict';
/**
 * How every command-line tool of the repository reads its arguments and answers --help.
 * Node's own parser (util.parseArgs) reads the flags; the usage is written from the same
 * description, so the flags a tool accepts and the ones its --help lists are one list, and
 * the environment variables it reads are listed beside them. util.parseArgs writes no usage;
 * the few lines below do, so no dependency is added for it.
 *
 * A tool calls readCommandLine first, before it reads any configuration, loads its heavier
 * modules or opens a connection: --help (or -h) prints the usage on stdout and exits 0 with
 * no broker, no database and no valid environment; an argument it does not know prints the
 * problem and the usage on stderr and exits 64 (EX_USAGE).
 */
const { writeSync } = require('node:fs');
const { parseArgs } = require('node:util');

const EX_USAGE = 64;
const HELP = { help: { type: 'boolean', short: 'h', description: 'print this help and exit' } };

/** `--name <value>` for a string option, `--name` for a boolean one. */
const flagOf = (name, option) =>
  `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;

/** Lines of at most `width` characters, broken between words. */
function wrap(text, width = 100) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

/** Two columns; a name too long for the first has its meaning on the next line. */
function columns(rows) {
  const width = Math.min(Math.max(...rows.map(([left]) => left.length)), 28);
  return rows
    .map(([left, right]) =>
      left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`.trimEnd(),
    )
    .join('\n');
}

/** The usage text: synopsis, what the tool does, its arguments, flags and environment. */
function usage(cli) {
  const options = { ...cli.options, ...HELP };
  const sections = [cli.usage.map((line, i) => `${i === 0 ? 'usage:' : '      '} ${line}`).join('\n'), wrap(cli.summary)];
  if (cli.arguments && cli.arguments.length > 0) sections.push(`Arguments:\n${columns(cli.arguments)}`);
  sections.push(`Options:\n${columns(Object.entries(options).map(([name, option]) => [flagOf(name, option), option.description]))}`);
  const environment = Object.entries(cli.environment ?? {});
  const dotEnv = cli.readsDotEnv ? ' (also read from a .env file in the working directory; the environment wins)' : '';
  sections.push(environment.length > 0 ? `Environment${dotEnv}:\n${columns(environment)}` : 'Environment: none read.');
  if (cli.notes && cli.notes.length > 0) sections.push(cli.notes.join('\n'));
  return `${sections.join('\n\n')}\n`;
}

/** Written synchronously: on some systems a pipe is written asynchronously, and process.exit would cut the text short. */
function exitWith(fd, text, code) {
  writeSync(fd, text);
  process.exit(code);
}

/** Prints `problem` and the usage on stderr, and exits 64. */
function refuse(cli, problem) {
  exitWith(2, `${problem}\n\n${usage(cli)}`, EX_USAGE);
}

/**
 * Answers --help, else parses `argv` against the tool's options: `{ values, positionals }`,
 * as util.parseArgs returns them. Positionals are the tool's to check (`refuse` says why).
 */
function readCommandLine(cli, argv = process.argv.slice(2)) {
  // Asked for help anywhere on the line, help is what is wanted, whatever else is there.
  if (argv.includes('--help') || argv.includes('-h')) {
    exitWith(1, usage(cli), 0);
  }
  const options = Object.fromEntries(
    Object.entries(cli.options ?? {}).map(([name, { type, short, multiple }]) => [
      name,
      { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) },
    ]),
  );
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    return refuse(cli, error.message);
  }
}

module.exports = { readCommandLine, refuse, usage, EX_USAGE };
