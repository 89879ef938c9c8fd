// Helpers for tests that drive the run loop (./runner.ts) in Node: waiting for what it publishes in
// the shared words, and the event-loop yield Node wants (its MessagePorts drain newly posted
// messages before timers get a turn, so the worker's default yield would starve the test).

/** Resolves once `predicate` holds; throws naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** RunnerTuning.yieldToEventLoop for Node. */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
