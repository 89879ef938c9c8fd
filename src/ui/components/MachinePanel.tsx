// The running machine as the engine sees it: every object's life-cycle state (created → parented →
// configured → realized → running/reset → unrealized → unparented → destroyed) and the engine's
// recent events (resets, unwired reset requests, …). The worker sends both after load and reset
// and whenever it notes new events; the run session keeps them in the store.
import { useEffect, useRef } from 'react';
import { useBoardLab } from '../store.ts';
import { objectName } from './Devices.tsx';
import { objectBadge } from '../guest-status.ts';

/**
 * An object's badge: its life-cycle state (data-state), and while the machine runs what it does
 * now (data-run: running, paused, halted, waiting for interrupt, faulting, no firmware), so the
 * graph, this panel and the run-state badge agree with the machine.
 */
export function StatePill({ state, path, testId }: { state: string | undefined; path?: string; testId?: string }) {
  const runState = useBoardLab((s) => s.run.state);
  const hart = useBoardLab((s) => (path === undefined ? undefined : s.machine?.harts?.find((h) => h.path === path)));
  const badge = objectBadge(state, runState, hart);
  return (
    <span className={`state-pill state-pill--${badge.tone}`} data-testid={testId} data-state={state ?? ''} data-run={badge.label} title={badge.title}>
      {badge.label}
    </span>
  );
}

export function MachinePanel() {
  const machine = useBoardLab((s) => s.machine);
  const objects = useBoardLab((s) => s.board?.resolved.objects);
  const log = useRef<HTMLOListElement>(null);
  const events = machine?.events ?? [];

  useEffect(() => {
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [events.length, events[events.length - 1]]);

  const types = new Map((objects ?? []).map((o) => [o.path, o.type]));
  const paths = [...new Set([...(objects ?? []).map((o) => o.path), ...Object.keys(machine?.states ?? {})])];
  return (
    <aside className="machine-panel" data-testid="machine-panel">
      <div className="machine-panel__title">Life cycle</div>
      <table className="lifecycle">
        <tbody>
          {paths.map((path) => (
            <tr key={path} data-testid="lifecycle-row" data-path={path}>
              <td className="lifecycle__name" title={path}>
                {objectName(path)}
              </td>
              <td className="lifecycle__type">{types.get(path) ?? ''}</td>
              <td>
                <StatePill state={machine?.states[path]} path={path} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="machine-panel__title">
        Engine events <span className="badge">{events.length}</span>
      </div>
      <ol className="machine-events" data-testid="machine-events" ref={log}>
        {events.length === 0 && <li className="machine-events__empty">none yet</li>}
        {events.map((event, index) => (
          <li key={index}>{event}</li>
        ))}
      </ol>
    </aside>
  );
}
