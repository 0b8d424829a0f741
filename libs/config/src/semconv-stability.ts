/**
 * Which OpenTelemetry semantic conventions a category of telemetry (`messaging`, `http` …)
 * emits, as `OTEL_SEMCONV_STABILITY_OPT_IN` asks: `old` without the category (what was
 * emitted before), `new` for `<category>`, `dup` for `<category>/dup`, which wins when both
 * are listed. Names are compared without case, as OpenTelemetry's own instrumentations do.
 */
export type SemconvStability = 'old' | 'new' | 'dup';

export function semconvStability(optIn: string | undefined, category: string): SemconvStability {
  const listed = new Set((optIn ?? '').split(',').map((value) => value.trim().toLowerCase()));
  if (listed.has(`${category}/dup`)) return 'dup';
  if (listed.has(category)) return 'new';
  return 'old';
}
