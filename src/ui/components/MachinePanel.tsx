// The running machine as the engine sees it: every object's life-cycle state (created → parented →
// configured → realized → running/reset → unrealized → unparented → destroyed) and the engine's
// recent events (resets, unwired reset requests, …). The worker sends both after load and reset
// and whenever it notes new events; the controller keeps them in the store.
import { useEffect, useRef } from 'react';
import { useBoardLab } from '../store.ts';
import { objectName } from './Devices.tsx';

/** Colour family of a life-cycle state. */
export function stateTone(state: string | undefined): string {
  switch (state) {
    case 'realized':
    case 'running':
      return 'live';
    case 'reset':
      return 'reset';
    case 'created':
    case 'parented':
    case 'configured':
      return 'early';
    case 'unrealized':
    case 'unparented':
    case 'destroyed':
      return 'gone';
    default:
      return 'none';
  }
}

export function StatePill({ state, testId }: { state: string | undefined; testId?: string }) {
  return (
    <span className={`state-pill state-pill--${stateTone(state)}`} data-testid={testId} data-state={state ?? ''} title="Life-cycle state">
      {state ?? '—'}
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
                <StatePill state={machine?.states[path]} />
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
