/** The types of cli-usage.js, for the TypeScript tools (scripts/*.ts, bench, demo). */

export interface CliOption {
  type: 'string' | 'boolean';
  /** How the value is shown in the usage: `<file>`. */
  value?: string;
  short?: string;
  /** May be given more than once. */
  multiple?: boolean;
  description: string;
}

export interface Cli {
  /** The synopsis, one line per form: `npm run rebuild -- <read-model> [--batch-size <n>]`. */
  usage: string[];
  /** What the tool does, in a few sentences. */
  summary: string;
  /** Positional arguments: [name, meaning]. */
  arguments?: [string, string][];
  options?: Record<string, CliOption>;
  /** Every environment variable the tool reads, with its meaning and default. */
  environment?: Record<string, string>;
  /** Whether it reads a .env file in the working directory as the services do. */
  readsDotEnv?: boolean;
  /** Anything more: examples, where to read on. */
  notes?: string[];
}

export interface CommandLine {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function readCommandLine(cli: Cli, argv?: string[]): CommandLine;
export function refuse(cli: Cli, problem: string): never;
export function usage(cli: Cli): string;
export const EX_USAGE: number;
