// When a view of the running guest (disassembly, source) should fetch again: on a timer while the
// guest runs, and whenever the instruction count changes while it is stopped (a step).
import { useEffect, useState } from 'react';

const RUNNING_REFRESH_MS = 250;

/** A key that changes whenever the view should refresh: use it as an effect dependency. */
export function useRefreshKey(running: boolean, instructions: number): string {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((t) => t + 1), RUNNING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running]);
  return running ? `tick ${tick}` : `at ${instructions}`;
}
