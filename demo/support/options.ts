/** A demo's sizes: `--rate 40` on the command line, else DEMO_RATE in the environment, else the demo's default. */
export class Options {
  /** Every option a demo read, with the value it used: they go into its results. */
  readonly used: Record<string, number> = {};

  constructor(private readonly flags: Record<string, string>) {}

  num(name: string, fallback: number): number {
    const raw = this.flags[name] ?? process.env[`DEMO_${name.toUpperCase().replace(/-/g, '_')}`];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    this.used[name] = value;
    return value;
  }
}

/** `--key value` and `--key=value` pairs. */
export function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new Error(`unexpected argument ${args[i]}`);
    flags[match[1]] = match[2] ?? args[++i] ?? '';
  }
  return flags;
}
