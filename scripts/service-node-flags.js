/**
 * The V8 flags every service runs with (scripts/start-all.js, the benchmarks; the
 * Dockerfile sets the same in NODE_OPTIONS). By default V8 sizes the heap from the
 * machine's memory (about 4 GB here) and collects lazily, so a service under load
 * grew to 280 MB of RSS holding garbage; its live heap is well under 100 MB. A bounded
 * old space (128 MB) and young generation (8 MB semi-spaces) keep it near 150 MB
 * without measurable cost in throughput (`npm run bench`, case 7).
 */
module.exports = ['--max-old-space-size=128', '--max-semi-space-size=8'];
