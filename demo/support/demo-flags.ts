/**
 * Every demo's sizes, with their defaults: what `npm run demo -- --help` lists and what each
 * demo reads (`options.num('rate')`). A flag is `--rate 40` on the command line, or DEMO_RATE
 * in the environment. Kept apart from the demos so the help loads none of them.
 */
export interface DemoFlag {
  default: number;
  meaning: string;
}

const RATE = (perSecond: number): DemoFlag => ({ default: perSecond, meaning: 'requests per second, open loop' });
const WARM_UP: DemoFlag = { default: 3, meaning: 'seconds of load before anything is measured' };
const BEFORE = (seconds: number): DemoFlag => ({
  default: seconds,
  meaning: 'seconds of load before the change (a consumer joins, an outage)',
});
const AFTER = (seconds: number): DemoFlag => ({ default: seconds, meaning: 'seconds of load after it' });
const SECONDS = (seconds: number): DemoFlag => ({ default: seconds, meaning: 'seconds of load (blocking: without, then with the delay)' });

export const DEMO_FLAGS = {
  coupling: {
    summary: 'add a consumer (an audit log) while the producer runs under load',
    flags: {
      rate: RATE(40),
      'seconds-before': BEFORE(8),
      'seconds-after': AFTER(12),
      'warmup-seconds': WARM_UP,
    },
  },
  blocking: {
    summary: "the producer's latency while the mail step is slow",
    flags: {
      rate: RATE(30),
      seconds: SECONDS(12),
      'delay-ms': { default: 200, meaning: 'how late the SMTP sink answers each mail' },
      'warmup-seconds': WARM_UP,
      'mail-wait-seconds': { default: 120, meaning: 'how long to wait for every mail to arrive afterwards' },
    },
  },
  isolation: {
    summary: 'the notification service down for a while under load',
    flags: {
      rate: RATE(30),
      'seconds-before': BEFORE(8),
      'outage-seconds': { default: 15, meaning: 'how long the notification service is down' },
      'seconds-after': AFTER(12),
      'warmup-seconds': WARM_UP,
      'drain-wait-seconds': { default: 120, meaning: 'how long to wait for the backlog to drain afterwards' },
    },
  },
  consistency: {
    summary: 'how long "eventual" is, and what reading your own write costs',
    flags: { rate: RATE(20), seconds: SECONDS(20), 'warmup-seconds': WARM_UP },
  },
  traceability: {
    summary: "one correlation id's story, as each side can tell it",
    flags: {},
  },
} satisfies Record<string, { summary: string; flags: Record<string, DemoFlag> }>;

export type DemoName = keyof typeof DEMO_FLAGS;

/** The environment variable standing in for a flag: `seconds-before` → DEMO_SECONDS_BEFORE. */
export const flagVariable = (flag: string): string => `DEMO_${flag.toUpperCase().replace(/-/g, '_')}`;

/** The flags of one demo. */
export type FlagOf<TDemo extends DemoName> = keyof (typeof DEMO_FLAGS)[TDemo]['flags'] & string;
