// Disassembly around a hart's pc, with breakpoints: the code column of the run/debug panel.
//
// The worker disassembles (objdump's text, the firmware's symbols) from guest memory between run
// slices; this view asks again when the guest paused or stepped, and a few times a second while
// it runs. Clicking a line's gutter (or F9 on the selected line) sets or clears a breakpoint on
// every hart; when a hart reaches one the worker pauses the guest itself, and the view shows why.
// While the listing has the focus: F11 steps one instruction, F10 steps over a call (runs to the
// instruction after it), Ctrl+F10 runs to the selected line — as the buttons above it do.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { WorkerRunState } from '../../workers/control.ts';
import type { DisassemblyLine, DisassemblyListing } from '../../workers/emulator.worker.ts';
import { emulatorClient, readRegisters, step } from '../run-session.ts';
import { notify } from '../notices.ts';
import { addressText, breakpointsChanged, describeStop, onBreakpointsChanged, parseAddress, stopIsCurrent } from '../disassembly.ts';
import { useBoardLab } from '../store.ts';
import { cpuArchitectureOf, cpuClusters, isHeterogeneous, relative } from '../views.ts';
import './disassembly.css';
import { useRefreshKey } from './use-refresh-key.ts';
import { useBreakpointStop } from './use-breakpoint-stop.ts';

/** Lines before and from the address shown (about 16 in all). */
const LINES_BEFORE = 6;
const LINES_FROM = 10;
/** While the guest runs, the listing follows its pc this often. */

/** Splits objdump's "mnemonic\toperands # comment" for aligned columns. */
function splitText(text: string): { mnemonic: string; operands: string } {
  const tab = text.indexOf('\t');
  return tab < 0 ? { mnemonic: text, operands: '' } : { mnemonic: text.slice(0, tab), operands: text.slice(tab + 1) };
}

function setHart(path: string | null): void {
  if (useBoardLab.getState().debugCpu !== path) useBoardLab.setState({ debugCpu: path });
}

export function DisassemblyView({ memoryVersion = 0 }: { /** Bumped when the memory view changed guest memory: the code is read again. */ memoryVersion?: number }) {
  const board = useBoardLab((s) => s.board);
  const state = useBoardLab((s) => s.run.state);
  const instructions = useBoardLab((s) => s.run.instructions);
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;

  const [harts, setHarts] = useState<string[]>([]);
  // The CPU the debugger follows (the store's: the register panel and Step follow it too).
  const hart = useBoardLab((s) => s.debugCpu);
  const selection = useBoardLab((s) => s.selection);
  /** The address looked at, or null to follow the pc. */
  const [target, setTarget] = useState<number | null>(null);
  const [addressInput, setAddressInput] = useState('');
  const [listing, setListing] = useState<DisassemblyListing | null>(null);
  const [breakpoints, setBreakpoints] = useState<number[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  // A breakpoint stop (the worker bumps BREAK_SEQ): show where, and follow the pc there.
  const [stop, setStop] = useBreakpointStop((found) => {
    setTarget(null);
    setHart(found.hart);
    notify(`Paused: ${describeStop(found, relative)}`, 'pause');
  });

  // Harts and breakpoints of the loaded board (a load brings new harts; breakpoints stay).
  useEffect(() => {
    let cancelled = false;
    void readRegisters().then((registers) => {
      if (cancelled) return;
      const paths = registers.map((r) => r.path);
      setHarts(paths);
      const current = useBoardLab.getState().debugCpu;
      setHart(current !== null && paths.includes(current) ? current : (paths[0] ?? null));
    });
    return () => {
      cancelled = true;
    };
  }, [board]);

  // On a heterogeneous board a breakpoint belongs to the CPU the debugger follows (the same
  // address is different code on each); elsewhere it stops every hart.
  const heterogeneous = board !== null && isHeterogeneous(cpuClusters(board.resolved));
  const breakpointCpu = heterogeneous && hart !== null ? hart : undefined;
  // Set or cleared in the source view too: fetched again when it says so.
  const [breakpointsVersion, setBreakpointsVersion] = useState(0);
  useEffect(() => onBreakpointsChanged(() => setBreakpointsVersion((v) => v + 1)), []);
  useEffect(() => {
    let cancelled = false;
    void emulatorClient()
      ?.breakpoints(breakpointCpu)
      .then((list) => {
        if (!cancelled) setBreakpoints(list);
      });
    return () => {
      cancelled = true;
    };
  }, [board, breakpointCpu, breakpointsVersion]);

  // A CPU selected in a view (or the inspector) is the one the debugger follows.
  useEffect(() => {
    if (selection !== null && harts.includes(selection)) setHart(selection);
  }, [selection, harts]);

  // Another board: the previous one's stop, selection and address mean nothing there.
  useEffect(() => {
    setStop(null);
    setSelected(null);
    setTarget(null);
  }, [board?.resolved]);


  const refreshKey = useRefreshKey(running, instructions);

  useEffect(() => {
    const client = emulatorClient();
    if (!client || hart === null) return;
    let cancelled = false;
    void client.disassemble(hart, target ?? undefined, LINES_BEFORE, LINES_FROM).then((result) => {
      if (!cancelled) setListing(result);
    });
    return () => {
      cancelled = true;
    };
  }, [refreshKey, state, hart, target, breakpoints, board, memoryVersion]);

  // Keep the line looked at (the pc, or the address asked for) in sight in the code's own scrolling
  // area (the registers above it stay put). Also when it changes size (the QMP monitor opens below
  // it, a divider moves, the window shrinks).
  const linesRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = linesRef.current;
    const focus = target ?? listing?.pc;
    const scroller = host;
    if (!host || focus === undefined || !scroller) return;
    const reveal = () => {
      const row = host.querySelector(`[data-testid="disasm-line"][data-address="${addressText(focus)}"]`);
      if (!row) return;
      const rowBox = row.getBoundingClientRect();
      const box = scroller.getBoundingClientRect();
      if (rowBox.top < box.top || rowBox.bottom > box.bottom) scroller.scrollTop += rowBox.top - box.top - (box.height - rowBox.height) / 2;
    };
    reveal();
    const resized = new ResizeObserver(reveal);
    resized.observe(scroller);
    return () => resized.disconnect();
  }, [listing, target]);

  async function toggleBreakpoint(address: number): Promise<void> {
    const client = emulatorClient();
    if (!client) return;
    setBreakpoints(await client.setBreakpoint(address, !breakpoints.includes(address), breakpointCpu));
    breakpointsChanged();
  }

  async function removeBreakpoint(address: number): Promise<void> {
    const client = emulatorClient();
    if (!client) return;
    setBreakpoints(await client.setBreakpoint(address, false, breakpointCpu));
    breakpointsChanged();
  }

  function lookAt(text: string): void {
    const address = parseAddress(text);
    if (address === undefined) {
      notify(`Not an address: "${text}" (hex, like 0x80000010)`);
      return;
    }
    setTarget(address);
    setSelected(address);
  }

  const lines = listing?.lines ?? [];
  const readable = lines.filter((l) => l.readable);

  function stepOver(): void {
    if (hart !== null) void emulatorClient()?.stepOver(hart);
  }

  function runToSelected(): void {
    const address = selected ?? listing?.pc;
    if (hart !== null && address !== undefined) void emulatorClient()?.runTo(hart, address);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'F10' && event.ctrlKey) {
      runToSelected();
    } else if (event.key === 'F10') {
      stepOver();
    } else if (event.key === 'F9') {
      const address = selected ?? listing?.pc;
      if (address !== undefined) void toggleBreakpoint(address);
    } else if (event.key === 'F11') {
      step();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const index = readable.findIndex((l) => l.address === (selected ?? listing?.pc));
      const next = readable[Math.min(readable.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) setSelected(next.address);
    } else return;
    event.preventDefault();
  }

  const current = stopIsCurrent(stop, state, instructions) ? stop : null;
  const labelsAt = new Map(lines.filter((l) => l.labels.length > 0).map((l) => [l.address, l.labels[0]]));

  return (
    <div className="disasm" data-testid="disassembly">
      <div className="debug__title">
        code
        {harts.length > 1 && (
          <select className="inspector__input" value={hart ?? ''} onChange={(event) => setHart(event.target.value)} data-testid="disasm-hart">
            {harts.map((path) => {
              const architecture = cpuArchitectureOf(board?.resolved.objects.find((o) => o.path === path)?.type ?? '');
              return (
                <option key={path} value={path}>
                  {relative(path)}
                  {architecture ? ` (${architecture.name})` : ''}
                </option>
              );
            })}
          </select>
        )}
        {harts.length === 1 && hart && <span>{relative(hart)}</span>}
        <input
          className="inspector__input debug__address"
          placeholder="address"
          value={addressInput}
          onChange={(event) => setAddressInput(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') lookAt(addressInput);
          }}
          data-testid="disasm-address"
          spellCheck={false}
          title="Show the code at this address (hex); Enter"
        />
        <button type="button" className={`small ${target === null ? 'toggled' : ''}`} aria-pressed={target === null} onClick={() => setTarget(null)} data-testid="disasm-follow" title="Follow the program counter">
          follow pc
        </button>
        <button type="button" className="small" onClick={stepOver} disabled={running || hart === null} data-testid="disasm-step-over" title="Step over (F10): a call runs to the instruction after it; anything else is one step">
          step over
        </button>
        <button type="button" className="small" onClick={runToSelected} disabled={running || hart === null || selected === null} data-testid="disasm-run-to" title="Run to the selected line (Ctrl+F10)">
          run to line
        </button>
      </div>
      {current && (
        <div className="disasm__stop" data-testid="breakpoint-stop">
          paused: {describeStop(current, relative)}
        </div>
      )}
      <div className="disasm__lines" ref={linesRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="disasm-lines" aria-label="Disassembly: arrows select a line, F9 toggles a breakpoint, F11 steps, F10 steps over, Ctrl+F10 runs to the line">
        {lines.length === 0 && <div className="inspector__doc">no code to show</div>}
        {lines.map((line) => (
          <Line
            key={line.address}
            line={line}
            isPc={listing !== null && line.address === listing.pc}
            isSelected={line.address === selected}
            hasBreakpoint={breakpoints.includes(line.address)}
            onSelect={() => setSelected(line.address)}
            onToggle={() => void toggleBreakpoint(line.address)}
          />
        ))}
      </div>
      <div className="disasm__breakpoints" data-testid="breakpoint-list">
        <span className="debug__name">breaks</span>
        {breakpoints.length === 0 && <span className="inspector__unit">none (click a line’s gutter or press F9)</span>}
        {breakpoints.map((address) => (
          <span className="disasm__breakpoint" key={address} data-testid="breakpoint" data-address={addressText(address)}>
            <button type="button" className="disasm__link" onClick={() => setTarget(address)} title="Show the code there">
              {addressText(address)}
              {labelsAt.has(address) ? ` <${labelsAt.get(address)}>` : ''}
            </button>
            <button type="button" className="disasm__remove" onClick={() => void removeBreakpoint(address)} aria-label={`Remove the breakpoint at ${addressText(address)}`} data-testid="breakpoint-remove">
              ×
            </button>
          </span>
        ))}
      </div>
    </div>
  );
}

function Line(props: { line: DisassemblyLine; isPc: boolean; isSelected: boolean; hasBreakpoint: boolean; onSelect: () => void; onToggle: () => void }) {
  const { line, isPc, isSelected, hasBreakpoint } = props;
  const { mnemonic, operands } = splitText(line.text);
  const classes = ['disasm__line', isPc ? 'disasm__line--pc' : '', isSelected ? 'disasm__line--selected' : '', line.readable ? '' : 'disasm__line--unreadable'].filter(Boolean).join(' ');
  return (
    <>
      {line.labels.map((label) => (
        <div className="disasm__label" key={label}>
          {addressText(line.address)} &lt;{label}&gt;:
        </div>
      ))}
      <div className={classes} onClick={props.onSelect} data-testid="disasm-line" data-address={addressText(line.address)} data-pc={isPc || undefined} data-breakpoint={hasBreakpoint || undefined}>
        <button
          type="button"
          className="disasm__gutter"
          onClick={(event) => {
            event.stopPropagation();
            props.onToggle();
          }}
          disabled={!line.readable}
          aria-label={`${hasBreakpoint ? 'Clear' : 'Set'} a breakpoint at ${addressText(line.address)}`}
          data-testid="disasm-gutter"
        >
          {hasBreakpoint ? '●' : ''}
        </button>
        <span className="disasm__address">{addressText(line.address)}</span>
        <span className="disasm__bytes">{line.bytes}</span>
        <span className="disasm__mnemonic">{mnemonic}</span>
        <span className="disasm__operands">{operands}</span>
      </div>
    </>
  );
}
