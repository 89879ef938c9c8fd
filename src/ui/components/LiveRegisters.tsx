// The selected device's registers, or a CPU's control registers, live: each register's value and
// its fields decoded (name = value, value names, docs as tooltips), changed values highlighted.
// Values come from the worker without side effects (a UART's byte is never taken by looking), read
// POLL_MS apart while the guest runs and once when it stops. Layouts: src/graph/register-layouts.ts.
import { useEffect, useRef, useState } from 'react';
import './explain.css';
import { cpuArchitecture, coreRegisterLayout, deviceRegisterLayout, isA } from '../../graph/index.ts';
import { WorkerRunState } from '../../workers/control.ts';
import { emulatorClient } from '../run-session.ts';
import { coreRegisterRows, deviceRegisterRows, groupRows, rowValues, type RegisterRow } from '../register-view.ts';
import { useBoardLab } from '../store.ts';

/** How often the view asks the worker while the guest runs (about five times a second). */
const POLL_MS = 200;
/** A repeated register with more instances than this folds them (a PLIC's priorities). */
const FOLD_ABOVE = 8;

/** Whether the register view has anything to show for an object of `type`. */
export function hasLiveRegisters(type: string): boolean {
  if (isA(type, 'cpu')) {
    const architecture = cpuArchitecture(type)?.name;
    return architecture !== undefined && coreRegisterLayout(architecture) !== undefined;
  }
  return deviceRegisterLayout(type) !== undefined;
}

function Row({ row }: { row: RegisterRow }) {
  return (
    <div className={`live-reg ${row.changed ? 'live-reg--changed' : ''}`} data-testid="live-register" data-name={row.name} data-changed={row.changed || undefined}>
      <div className="live-reg__head" title={row.doc}>
        <span className="live-reg__name">{row.name}</span>
        <span className="live-reg__where">{row.where}</span>
        <span className="live-reg__value" data-testid="live-register-value">
          {row.valueText}
        </span>
      </div>
      {row.fields.length > 0 && (
        <div className="live-reg__fields">
          {row.fields.map((field) => (
            <span
              key={`${field.name}@${field.lsb}`}
              className={`live-field ${field.value !== 0 ? 'live-field--set' : ''}`}
              title={`${field.doc} (bit${field.width > 1 ? `s ${field.lsb + field.width - 1}:${field.lsb}` : ` ${field.lsb}`})`}
              data-testid="live-field"
              data-field={field.name}
            >
              {field.text}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

export function LiveRegisters({ path, type }: { path: string; type: string }) {
  const board = useBoardLab((s) => s.board);
  const state = useBoardLab((s) => s.run.state);
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;
  const [rows, setRows] = useState<RegisterRow[] | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const previous = useRef(new Map<string, number | null>());
  const object = board?.resolved.objects.find((o) => o.path === path);
  const cpu = isA(type, 'cpu');

  useEffect(() => {
    previous.current = new Map();
    setRows(null);
  }, [path, board]);

  useEffect(() => {
    const client = emulatorClient();
    if (client === null || object === undefined) {
      setMissing(object === undefined ? 'not in the running board yet (apply the edit to run it)' : 'the emulator has not started');
      return;
    }
    let live = true;
    const poll = async () => {
      const values = cpu ? await client.coreRegisters(path) : await client.deviceRegisters(path);
      if (!live) return;
      if (values === null) {
        setMissing('the running machine has no such object');
        return;
      }
      setMissing(null);
      const next = 'architecture' in values ? coreRegisterRows(values, previous.current) : deviceRegisterRows(values, object.props, previous.current);
      previous.current = rowValues(next);
      setRows(next);
    };
    void poll();
    const timer = running ? setInterval(() => void poll(), POLL_MS) : undefined;
    return () => {
      live = false;
      if (timer !== undefined) clearInterval(timer);
    };
  }, [path, object, cpu, running, state]);

  return (
    <div className="inspector__section live-regs" data-testid="live-registers" data-path={path}>
      <div className="inspector__heading">{cpu ? 'Control registers (live)' : 'Registers (live)'}</div>
      {missing !== null && <div className="inspector__doc">{missing}</div>}
      {rows !== null &&
        groupRows(rows).map((group) =>
          group.length > FOLD_ABOVE ? (
            <details key={group[0].group} className="live-regs__fold">
              <summary title={group[0].doc}>
                {group[0].name.replace(/\[.*$/, '')}[…] · {group.length} registers{group.some((r) => r.changed) ? ' · changed' : ''}
              </summary>
              {group.map((row) => (
                <Row key={row.key} row={row} />
              ))}
            </details>
          ) : (
            group.map((row) => <Row key={row.key} row={row} />)
          ),
        )}
    </div>
  );
}
