/**
 * What a demo opened and must close however it ends: each opener registers its undo here;
 * a normal end runs them through `finally` in the demo, Ctrl-C or SIGTERM through runCleanups.
 */
const cleanups = new Set<() => Promise<unknown>>();

/** Registers an undo; the function returned unregisters it (after it ran normally). */
export function onCleanup(undo: () => Promise<unknown>): () => void {
  cleanups.add(undo);
  return () => cleanups.delete(undo);
}

/** Runs every registered undo, the newest first; failures are reported and do not stop the rest. */
export async function runCleanups(): Promise<void> {
  for (const undo of [...cleanups].reverse()) {
    cleanups.delete(undo);
    await undo().catch((error: unknown) =>
      process.stderr.write(`demo clean-up: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  }
}
