// The trap and interrupt log (every trap any CPU takes: cause, pc, trap value, handler and its
// symbol, instructions retired — as QEMU's `-d int`), filterable by CPU, and the watch list
// (addresses, symbols, registers; values update live, changes highlighted). Both poll the worker
// POLL_MS apart while the guest runs (./LiveRegisters.tsx does the same for registers).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import './explain.css';
import { isA, relativePath } from '../../graph/index.ts';
import { WorkerRunState } from '../../workers/control.ts';
import type { TrapLogEntry, WatchValue } from '../../workers/emulator.worker.ts';
import { appendTraps, parseWatch, trapLine, watchText, type Watch } from '../explain-panel.ts';
import { emulatorClient } from '../run-session.ts';
import { useBoardLab } from '../store.ts';

const POLL_MS = 200;

function useRunning(): { running: boolean; state: WorkerRunState } {
  const state = useBoardLab((s) => s.run.state);
  return { running: state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE, state };
}

/** Calls `poll` now, then every POLL_MS while the guest runs; again whenever `deps` change. */
function usePoll(poll: () => Promise<void>, running: boolean, deps: readonly unknown[]): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    void latest.current();
    if (!running) return;
    const timer = setInterval(() => void latest.current(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, ...deps]);
}

function TrapLog() {
  const board = useBoardLab((s) => s.board);
  const { running, state } = useRunning();
  const [log, setLog] = useState<TrapLogEntry[]>([]);
  const [dropped, setDropped] = useState(0);
  const [filter, setFilter] = useState('');
  const next = useRef(0);
  const list = useRef<HTMLDivElement>(null);
  const cpus = (board?.resolved.objects ?? []).filter((o) => isA(o.type, 'cpu'));

  useEffect(() => {
    next.current = 0;
    setLog([]);
    setDropped(0);
  }, [board]);

  usePoll(
    async () => {
      const client = emulatorClient();
      if (client === null) return;
      const batch = await client.traps(next.current);
      if (batch.entries.length === 0 && batch.dropped === 0) return;
      next.current = batch.next;
      setDropped((d) => d + batch.dropped);
      setLog((old) => appendTraps(old, batch.entries));
    },
    running,
    [board, state],
  );

  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [log]);

  const clear = () => {
    setLog([]);
    setDropped(0);
    void emulatorClient()?.clearTraps();
  };
  const shown = filter === '' ? log : log.filter((entry) => entry.cpu === filter);
  return (
    <section className="explain__section" data-testid="trap-log">
      <div className="explain__title">
        Traps and interrupts <span className="badge" data-testid="trap-count">{shown.length}</span>
        {dropped > 0 && <span className="explain__note"> ({dropped} more scrolled away)</span>}
        <span className="spacer" />
        <label>
          CPU{' '}
          <select value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="trap-filter">
            <option value="">all</option>
            {cpus.map((cpu) => (
              <option key={cpu.path} value={cpu.path}>
                {relativePath(cpu.path)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="small" onClick={clear} data-testid="trap-clear">
          Clear
        </button>
      </div>
      <div className="trap-log" ref={list}>
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>CPU</th>
              <th>cause</th>
              <th title="The interrupted or trapping instruction (mepc / the stacked pc)">pc</th>
              <th title="The trap value: a faulting address or an instruction's bits (mtval)">tval</th>
              <th>handler</th>
              <th title="Instructions the CPU had retired">instret</th>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={7} className="explain__note">
                  no traps yet
                </td>
              </tr>
            )}
            {shown.map((entry) => {
              const line = trapLine(entry);
              return (
                <tr key={line.seq} className={line.interrupt ? 'trap-log__interrupt' : 'trap-log__exception'} data-testid="trap-row" data-cpu={entry.cpu}>
                  <td>{line.seq}</td>
                  <td>{line.cpu}</td>
                  <td data-testid="trap-cause">{line.cause}</td>
                  <td>{line.pc}</td>
                  <td>{line.value}</td>
                  <td>{line.handler}</td>
                  <td>{line.instret}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function WatchList() {
  const board = useBoardLab((s) => s.board);
  const debugCpu = useBoardLab((s) => s.debugCpu);
  const { running, state } = useRunning();
  const [watches, setWatches] = useState<Watch[]>([]);
  const [values, setValues] = useState<Map<number, WatchValue & { changed: boolean }>>(new Map());
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const nextId = useRef(1);
  const cpuPaths = (board?.resolved.objects ?? []).filter((o) => isA(o.type, 'cpu')).map((o) => o.path);
  const cpu = debugCpu ?? cpuPaths[0] ?? '/machine/cpu0';

  usePoll(
    async () => {
      const client = emulatorClient();
      if (client === null || watches.length === 0) return;
      const read = await client.watchValues(watches.map((w) => w.target));
      setValues((old) => new Map(watches.map((watch, i) => [watch.id, { ...read[i], changed: old.has(watch.id) && old.get(watch.id)!.value !== read[i].value }])));
    },
    running,
    [watches, board, state],
  );

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const client = emulatorClient();
    const parsed = parseWatch(text, cpu, cpuPaths);
    if (parsed.kind === 'error') {
      setError(parsed.message);
      return;
    }
    let target = parsed.kind === 'target' ? parsed.target : undefined;
    let label = text.trim();
    if (parsed.kind === 'name' && client !== null) {
      const register = { kind: 'register' as const, cpu: parsed.cpu, register: parsed.name };
      const [asRegister] = await client.watchValues([register]);
      if (asRegister.value !== null) {
        target = register;
        label = `${relativePath(parsed.cpu)}.${parsed.name}`;
      } else {
        const address = await client.symbolAddress(parsed.name, parsed.cpu);
        if (address !== null) {
          target = { kind: 'memory', address, size: parsed.size };
          label = `${parsed.name} (0x${address.toString(16)})`;
        }
      }
      if (target === undefined) {
        setError(`no register or firmware symbol is named "${parsed.name}"`);
        return;
      }
    }
    if (target === undefined) return;
    setError(null);
    setText('');
    setWatches((old) => [...old, { id: nextId.current++, label, target }]);
  };

  return (
    <section className="explain__section" data-testid="watch-list">
      <div className="explain__title">Watch</div>
      <form className="watch__add" onSubmit={(event) => void add(event)}>
        <input
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="0x80001000, 0x10000005:b, a symbol, a0, cpu1.mstatus"
          aria-label="Address, symbol or register to watch"
          data-testid="watch-input"
          spellCheck={false}
        />
        <button type="submit" className="small" data-testid="watch-add">
          Add
        </button>
      </form>
      {error !== null && (
        <div className="explain__error" data-testid="watch-error">
          {error}
        </div>
      )}
      <table className="watch__table">
        <tbody>
          {watches.map((watch) => {
            const value = values.get(watch.id);
            return (
              <tr key={watch.id} className={value?.changed ? 'watch--changed' : ''} data-testid="watch-row" data-changed={value?.changed || undefined}>
                <td className="watch__label">{watch.label}</td>
                <td className="watch__value" data-testid="watch-value" title={value?.reason}>
                  {value === undefined ? '…' : value.value === null ? `— ${value.reason ?? ''}` : watchText(value.value, watch.target)}
                </td>
                <td>
                  <button type="button" className="small" aria-label={`Remove ${watch.label}`} onClick={() => setWatches((old) => old.filter((w) => w.id !== watch.id))}>
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The run pane's button that shows and hides the panel. */
export function ExplainToggle({ shown, onToggle }: { shown: boolean; onToggle: () => void }) {
  return (
    <button type="button" className={`small ${shown ? 'toggled' : ''}`} aria-pressed={shown} onClick={onToggle} data-testid="toggle-explain" title="Every trap and interrupt the CPUs take, and a watch list of addresses and registers">
      Traps &amp; watch
    </button>
  );
}

export function ExplainPanel() {
  return (
    <div className="explain" data-testid="explain-panel">
      <TrapLog />
      <WatchList />
    </div>
  );
}
