import { blocking } from '../claims/blocking.demo';
import { consistency } from '../claims/consistency.demo';
import { coupling } from '../claims/coupling.demo';
import { isolation } from '../claims/isolation.demo';
import { traceability } from '../claims/traceability.demo';
import { DEMO_FLAGS, DemoName } from './demo-flags';
import { Options } from './options';
import { DemoReport } from './report';

/** Runs one demo with the flags given (the others of DEMO_FLAGS come from DEMO_<FLAG> or their defaults). */
export function runDemo(name: DemoName, flags: Record<string, string | undefined>): Promise<DemoReport> {
  switch (name) {
    case 'coupling':
      return coupling(new Options(flags, DEMO_FLAGS.coupling.flags));
    case 'blocking':
      return blocking(new Options(flags, DEMO_FLAGS.blocking.flags));
    case 'isolation':
      return isolation(new Options(flags, DEMO_FLAGS.isolation.flags));
    case 'consistency':
      return consistency(new Options(flags, DEMO_FLAGS.consistency.flags));
    case 'traceability':
      return traceability(new Options(flags, DEMO_FLAGS.traceability.flags));
  }
}
