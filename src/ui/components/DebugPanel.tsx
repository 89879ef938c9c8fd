// The debugger's views of the running machine: each hart's registers (fetched from the worker a few
// times a second, and after each Step; what changed since the previous stop is highlighted; a hart
// with F/D also lists its floating-point registers, in a section the user can fold away), the
// code around a hart's pc with breakpoints (./DisassemblyView.tsx) and the source line it is at
// (./SourceView.tsx: C or assembly with DWARF line information, stepped by lines), and a memory view that reads
// guest RAM live from the SharedArrayBuffers the worker shares with the page — no copies, no
// messages. The memory view can follow a register (sp, a0, …) and, while the guest is paused,
// change bytes: typed hex goes to the worker, which writes it as the CPUs will see it.
import { Fragment, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { hex } from '../../graph/index.ts';
import { WorkerRunState } from '../../workers/control.ts';
import type { FloatRegisters, HartRegisters, SpecialRegisters } from '../../workers/emulator.worker.ts';
import { emulatorClient, readRegisters } from '../run-session.ts';
import { parseAddress } from '../disassembly.ts';
import { defaultViewAddress, dumpRows, hartSpace, memoryAt, noBytesReason, printableText } from '../memory-view.ts';
import { FIRST_FLOAT, FIRST_SPECIAL, floatRegisterHex, floatRegisterText, followOrder, PC, RegisterChanges, registerName, registerValue, specialRegisterText } from '../registers.ts';
import { DisassemblyView } from './DisassemblyView.tsx';
import { SourceView } from './SourceView.tsx';
import { useBoardLab } from '../store.ts';
import { cpuClusters, isHeterogeneous, relative } from '../views.ts';
import './debugger.css';

const ROWS = 8;

type CodeView = 'source' | 'disassembly';
const CODE_VIEW_KEY = 'boardlab.debugger.codeView';

/** The code view chosen last (kept in localStorage), the disassembly at first. */
function loadCodeView(): CodeView {
  try {
    return localStorage.getItem(CODE_VIEW_KEY) === 'source' ? 'source' : 'disassembly';
  } catch {
    return 'disassembly';
  }
}
/** Bytes per row: 16, or 8 in a view too narrow for 16 (hex and text side by side, as hexdump -C). */
const WIDE_ROW = 16;
const NARROW_ROW = 8;
/** Characters a row of 16 needs: address, 16 bytes in hex, their text. */
const WIDE_ROW_CHARS = 12 + WIDE_ROW * 3 + 1 + WIDE_ROW;
/** While the guest runs, the dump is read again this often (it reads shared memory: no messages). */
const LIVE_REFRESH_MS = 250;
/** The bytes marked at a followed register's value (a word). */
const FOLLOWED_BYTES = 4;

/** A register the memory view follows. */
interface Followed {
  hart: string;
  /** 0..31, or PC. */
  register: number;
}

const NO_CHANGES: ReadonlyMap<string, ReadonlySet<number>> = new Map();


/** A hart's floating-point registers: name, raw bits, the number they hold; below the integer registers, foldable. */
function FloatRegisterList(props: { float: FloatRegisters; changed: ReadonlySet<number> | undefined; open: boolean; onToggle: () => void }) {
  const { float, changed, open, onToggle } = props;
  return (
    <div className="debug__float" data-testid="float-registers">
      <button type="button" className="debug__fold" aria-expanded={open} onClick={onToggle} data-testid="toggle-float-registers" title={open ? 'Hide the floating-point registers' : 'Show the floating-point registers'}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> float registers · {float.bits}-bit
      </button>
      {open && (
        <div className="debug__regs debug__fregs">
          {float.values.map((value, i) => {
            const isChanged = changed?.has(FIRST_FLOAT + i) ?? false;
            const text = floatRegisterText(value, float.bits);
            return (
              <span className={`debug__reg debug__freg ${isChanged ? 'debug__reg--changed' : ''}`} key={i} title={`${float.aliases[i]?.[0] ?? float.names[i]} = ${text}${isChanged ? ' (changed by the last step)' : ''}`} data-register={float.names[i]} data-changed={isChanged || undefined}>
                <span className="debug__name">{float.names[i]}</span> <span className="debug__bits">{floatRegisterHex(value, float.bits)}</span>{' '}
                <span className="debug__number" data-testid="float-value">
                  {text}
                </span>
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** A core's special registers (Cortex-M: xpsr, msp, psp, primask, basepri, faultmask, control): name, hex, and what it means. */
function SpecialRegisterList(props: { special: SpecialRegisters; changed: ReadonlySet<number> | undefined }) {
  const { special, changed } = props;
  return (
    <div className="debug__regs debug__sregs" data-testid="special-registers">
      {special.values.map((value, i) => {
        const isChanged = changed?.has(FIRST_SPECIAL + i) ?? false;
        const meaning = specialRegisterText(special.names[i], value);
        return (
          <span className={`debug__reg debug__sreg ${isChanged ? 'debug__reg--changed' : ''}`} key={i} title={`${special.names[i]}${meaning ? `: ${meaning}` : ''}${isChanged ? ' (changed by the last step)' : ''}`} data-register={special.names[i]} data-changed={isChanged || undefined}>
            <span className="debug__name">{special.names[i]}</span> {hex(value)}
            {meaning !== undefined && (
              <>
                {' '}
                <span className="debug__number" data-testid="special-meaning">
                  {meaning}
                </span>
              </>
            )}
          </span>
        );
      })}
    </div>
  );
}

function Registers({ harts, changes }: { harts: readonly HartRegisters[]; changes: ReadonlyMap<string, ReadonlySet<number>> }) {
  const [floatOpen, setFloatOpen] = useState(true);
  if (harts.length === 0) return <div className="inspector__doc">no harts</div>;
  return (
    <div className="debug__harts" data-testid="registers">
      {harts.map((hart) => {
        const changed = changes.get(hart.path);
        return (
          <div className="debug__hart" key={hart.path} data-testid={`registers-${relative(hart.path)}`}>
            <div className="debug__title">
              {relative(hart.path)}{' '}
              <span className={`debug__pc ${changed?.has(PC) ? 'debug__reg--changed' : ''}`} data-testid="pc" data-changed={changed?.has(PC) || undefined}>
                pc {hex(hart.pc)}
              </span>
            </div>
            <div className="debug__regs">
              {hart.x.map((value, i) => (
                <span className={`debug__reg ${changed?.has(i) ? 'debug__reg--changed' : ''}`} key={i} title={`${hart.aliases[i]?.[0] ?? hart.names[i]}${changed?.has(i) ? ' (changed by the last step)' : ''}`} data-register={hart.names[i]} data-changed={changed?.has(i) || undefined}>
                  <span className="debug__name">{hart.names[i]}</span> {hex(value)}
                </span>
              ))}
            </div>
            {hart.special && <SpecialRegisterList special={hart.special} changed={changed} />}
            {hart.float && <FloatRegisterList float={hart.float} changed={changed} open={floatOpen} onToggle={() => setFloatOpen((open) => !open)} />}
          </div>
        );
      })}
    </div>
  );
}

/** 16 bytes a row when the dump is wide enough for them, else 8 (it follows the pane's width). */
function useRowWidth(dump: { current: HTMLElement | null }): number {
  const [perRow, setPerRow] = useState(WIDE_ROW);
  useEffect(() => {
    const element = dump.current?.parentElement;
    if (!element) return;
    const measure = () => {
      const charWidth = parseFloat(getComputedStyle(dump.current ?? element).fontSize) * 0.6; // a monospace digit
      setPerRow(element.clientWidth >= WIDE_ROW_CHARS * charWidth ? WIDE_ROW : NARROW_ROW);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [dump]);
  return perRow;
}

function MemoryViewer(props: { harts: readonly HartRegisters[]; follow: Followed | null; onFollow: (follow: Followed | null) => void; onEdited: () => void }) {
  const { harts, follow, onFollow, onEdited } = props;
  const shared = useBoardLab((s) => s.sharedRam);
  const board = useBoardLab((s) => s.board);
  const state = useBoardLab((s) => s.run.state);
  /** The address typed by the user (empty: the board's first RAM). */
  const [typed, setTyped] = useState('');
  /** The byte the keyboard edits, and a first hex digit typed for it. */
  const [cursor, setCursor] = useState<number | null>(null);
  const [pending, setPending] = useState('');
  /** Why the last edit was refused (or that an address is not one). */
  const [status, setStatus] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const dump = useRef<HTMLPreElement>(null);
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;
  const perRow = useRowWidth(dump);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((t) => t + 1), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running]);

  // Another board: its own default address; an edit in progress means nothing there.
  useEffect(() => {
    setTyped('');
    setCursor(null);
    setPending('');
    setStatus(null);
  }, [board?.resolved]);

  const resolved = board?.resolved;
  const followed = follow ? registerValue(harts, follow.hart, follow.register) : undefined;
  // The address space of the followed register's CPU, else of the CPU the debugger follows (on a
  // board whose CPUs see memory differently, "system" may hold nothing at all).
  const debugCpu = useBoardLab((s) => s.debugCpu);
  const viewer = follow?.hart ?? debugCpu;
  const space = viewer !== null && resolved ? hartSpace(resolved, viewer) : 'system';
  const typedAddress = typed.trim() === '' ? (resolved ? defaultViewAddress(resolved, space) : 0) : parseAddress(typed);
  const address = followed ?? typedAddress;
  const at = resolved && address !== undefined ? memoryAt(resolved, shared, address, space) : null;
  const rows = at?.kind === 'memory' && address !== undefined ? dumpRows(at, address, ROWS, perRow) : [];
  const first = rows[0]?.address;
  const last = rows.length > 0 ? rows[rows.length - 1].address + rows[rows.length - 1].bytes.length - 1 : undefined;

  const followOptions = useMemo(
    () =>
      harts.flatMap((hart) =>
        followOrder(hart).map((register) => ({ value: `${hart.path}|${register}`, label: `${harts.length > 1 ? `${relative(hart.path)} ` : ''}${registerName(hart, register)}` })),
      ),
    [harts],
  );

  function lookAt(next: number): void {
    onFollow(null);
    setTyped(hex(next));
  }

  function moveCursor(to: number): void {
    if (first === undefined || last === undefined || at?.kind !== 'memory') return;
    const end = at.base + at.bytes.length;
    if (to < at.base || to >= end) return;
    setCursor(to);
    setPending('');
    // Past the rows shown: the view scrolls a row (and stops following).
    if (to < first) lookAt(to);
    else if (to > last) lookAt(Math.max(at.base, first + perRow));
  }

  function write(target: number, value: number): void {
    const client = emulatorClient();
    if (!client) return;
    void client.writeMemory(target, Uint8Array.of(value), space).then((result) => {
      if (result.ok) {
        setStatus(null);
        setTick((t) => t + 1);
        onEdited();
      } else setStatus(`not changed: ${result.reason}`);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLPreElement>): void {
    const here = cursor ?? (address !== undefined && first !== undefined && address >= first ? address : first);
    if (here === undefined) return;
    const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -perRow, ArrowDown: perRow };
    if (event.key in step) moveCursor(cursor === null ? here : here + step[event.key]);
    else if (/^[0-9a-fA-F]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (cursor === null) setCursor(here);
      if (pending === '') setPending(event.key.toLowerCase());
      else {
        write(here, parseInt(pending + event.key, 16));
        setPending('');
        moveCursor(here + 1);
      }
    } else if (event.key === 'Escape' || event.key === 'Backspace') {
      if (pending === '' && event.key === 'Escape') setCursor(null);
      setPending('');
    } else return;
    event.preventDefault();
  }

  const reason = at ? noBytesReason(at, address ?? 0) : resolved && address === undefined ? `not an address: "${typed}" (hex, like 0x80000000)` : 'no board';
  const inFollowed = (byte: number) => followed !== undefined && byte >= followed && byte < followed + FOLLOWED_BYTES;

  return (
    <div className="debug__memory">
      <div className="debug__title">
        memory at{' '}
        <input
          className="inspector__input debug__address"
          value={followed !== undefined ? hex(followed) : typed}
          placeholder={resolved ? hex(defaultViewAddress(resolved)) : ''}
          onChange={(event) => {
            onFollow(null);
            setTyped(event.target.value);
          }}
          data-testid="memory-address"
          aria-label="Memory address (hex)"
          spellCheck={false}
        />
        <select
          className="inspector__input debug__follow"
          value={follow ? `${follow.hart}|${follow.register}` : ''}
          onChange={(event) => {
            const [hart, register] = event.target.value.split('|');
            onFollow(event.target.value === '' ? null : { hart, register: Number(register) });
          }}
          data-testid="memory-follow"
          aria-label="Follow a register"
          title="The view follows this register's value after every step and pause"
        >
          <option value="">follow a register…</option>
          {followOptions.map((option) => (
            <option key={option.value} value={option.value}>
              follow {option.label}
            </option>
          ))}
        </select>
        {at?.kind === 'memory' && (
          <span className="inspector__unit" data-testid="memory-region">
            {at.name}
            {at.readOnly ? ' (ROM)' : ''} · live
          </span>
        )}
      </div>
      <pre
        ref={dump}
        className="debug__dump"
        data-testid="memory-dump"
        tabIndex={rows.length > 0 ? 0 : undefined}
        onKeyDown={onKeyDown}
        onBlur={() => setPending('')}
        aria-label="Memory bytes: click a byte or use the arrow keys, type two hex digits to change it while the guest is paused"
      >
        {rows.length === 0
          ? reason
          : rows.map((row) => (
              <span className="debug__row" key={row.address}>
                {hex(row.address)}
                {'  '}
                {row.bytes.map((byte, i) => {
                  const byteAddress = row.address + i;
                  const isCursor = byteAddress === cursor;
                  const classes = ['debug__byte', isCursor ? 'debug__byte--cursor' : '', inFollowed(byteAddress) ? 'debug__byte--followed' : ''].filter(Boolean).join(' ');
                  return (
                    <Fragment key={i}>
                      {i > 0 && ' '}
                      <span
                        className={classes}
                        data-address={hex(byteAddress)}
                        onMouseDown={(event) => {
                          event.preventDefault();
                          setCursor(byteAddress);
                          setPending('');
                          dump.current?.focus();
                        }}
                      >
                        {isCursor && pending !== '' ? `${pending}_` : byte.toString(16).padStart(2, '0')}
                      </span>
                    </Fragment>
                  );
                })}
                {'  '}
                {' '.repeat(3 * (perRow - row.bytes.length))}
                {printableText(row.bytes)}
                {'\n'}
              </span>
            ))}
      </pre>
      {status && (
        <div className="debug__memory-status" data-testid="memory-status" role="status">
          {status}
        </div>
      )}
    </div>
  );
}

export function DebugPanel() {
  const board = useBoardLab((s) => s.board);
  const instructions = useBoardLab((s) => s.run.instructions);
  const state = useBoardLab((s) => s.run.state);
  const [harts, setHarts] = useState<HartRegisters[]>([]);
  const [changes, setChanges] = useState<ReadonlyMap<string, ReadonlySet<number>>>(NO_CHANGES);
  const [follow, setFollow] = useState<Followed | null>(null);
  /** Bumped when the memory view changed guest memory: the code view reads it again. */
  const [memoryVersion, setMemoryVersion] = useState(0);
  const tracker = useRef(new RegisterChanges());
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;

  useEffect(() => {
    let cancelled = false;
    void readRegisters().then((read) => {
      if (cancelled) return;
      setHarts(read);
      setChanges(tracker.current.observe({ harts: read, instructions, running, machine: board }));
    });
    return () => {
      cancelled = true;
    };
  }, [instructions, state, board, running]);

  // A followed register of a hart the new board does not have: stop following.
  useEffect(() => {
    if (follow && harts.length > 0 && !harts.some((h) => h.path === follow.hart)) setFollow(null);
  }, [harts, follow]);

  // A heterogeneous board: the registers of the CPU the debugger follows, in its own ISA's names.
  const debugCpu = useBoardLab((s) => s.debugCpu);
  const heterogeneous = board !== null && isHeterogeneous(cpuClusters(board.resolved));
  const shown = heterogeneous && harts.some((h) => h.path === debugCpu) ? harts.filter((h) => h.path === debugCpu) : harts;

  // The code area shows the source or the disassembly (both stay mounted: the disassembly also
  // reports breakpoint stops); the choice is kept across reloads.
  const [codeView, setCodeView] = useState<CodeView>(loadCodeView);
  const chooseCodeView = (view: CodeView) => {
    setCodeView(view);
    try {
      localStorage.setItem(CODE_VIEW_KEY, view);
    } catch {
      // storage unavailable (private mode): the choice lasts until the page closes
    }
  };

  return (
    <div className={`debug debug--code debug--show-${codeView}`} data-testid="debug-panel">
      <Registers harts={shown} changes={changes} />
      <div className="debug__code-views" role="tablist" aria-label="Code view">
        {(['source', 'disassembly'] as const).map((view) => (
          <button
            type="button"
            role="tab"
            key={view}
            className={`small ${codeView === view ? 'toggled' : ''}`}
            aria-selected={codeView === view}
            onClick={() => chooseCodeView(view)}
            data-testid={`code-view-${view}`}
            title={view === 'source' ? 'The source line the pc is at (C or assembly built with line information): breakpoints on lines, Step line, Next line' : 'The instructions around the pc: breakpoints on addresses, Step, Step over, Run to line'}
          >
            {view}
          </button>
        ))}
      </div>
      <SourceView />
      <DisassemblyView memoryVersion={memoryVersion} />
      <MemoryViewer harts={harts} follow={follow} onFollow={setFollow} onEdited={() => setMemoryVersion((v) => v + 1)} />
    </div>
  );
}
