import { DemoFlag, flagVariable } from './demo-flags';

/** A demo's sizes: `--rate 40` on the command line, else DEMO_RATE in the environment, else its default (demo-flags.ts). */
export class Options<TFlag extends string = string> {
  /** Every option a demo read, with the value it used: they go into its results. */
  readonly used: Record<string, number> = {};

  constructor(
    private readonly flags: Record<string, string | undefined>,
    private readonly declared: Record<TFlag, DemoFlag>,
  ) {}

  num(name: TFlag): number {
    const raw = this.flags[name] ?? process.env[flagVariable(name)];
    const value = raw === undefined ? this.declared[name].default : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    this.used[name] = value;
    return value;
  }
}
