// Why the guest last paused (a breakpoint, a step), for the views of the debugger: fetched once, and
// again whenever the worker bumps its break sequence word. `onNewStop` hears of each new stop.
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { BreakpointStop } from '../../workers/emulator.worker.ts';
import { emulatorClient, onFrame } from '../run-session.ts';

export function useBreakpointStop(onNewStop: (stop: BreakpointStop) => void): [BreakpointStop | null, Dispatch<SetStateAction<BreakpointStop | null>>] {
  const [stop, setStop] = useState<BreakpointStop | null>(null);
  // The latest callback, without resubscribing to the frames when the caller renders again.
  const listener = useRef(onNewStop);
  listener.current = onNewStop;
  useEffect(() => {
    const client = emulatorClient();
    if (!client) return;
    let seen = client.snapshot().breakSeq;
    void client.breakpointStop().then(setStop);
    return onFrame((snapshot) => {
      if (snapshot.breakSeq === seen) return;
      seen = snapshot.breakSeq;
      void client.breakpointStop().then((found) => {
        setStop(found);
        if (found !== null) listener.current(found);
      });
    });
  }, []);
  return [stop, setStop];
}
