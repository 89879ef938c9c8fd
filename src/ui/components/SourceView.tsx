// The source column of the run/debug panel: the source file the followed hart's pc is in, from the
// DWARF line table of its firmware (gcc -g C, or assembly the board carries and BoardLab
// assembles), with the current line highlighted; breakpoints set on lines from the gutter (or F9);
// Step line and Next line — gdb's step and next — from the buttons or, while the source has the
// focus, F11 and F10 (the keys the disassembly uses for an instruction step and a step over).
// The worker knows the lines (GuestDebugger.sourceView); the text comes from the board's own
// sources or, for bundled firmware, from the site (../firmware-sources.ts).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { WorkerRunState } from '../../workers/control.ts';
import type { SourceView as SourceLines } from '../../workers/emulator.worker.ts';
import { emulatorClient } from '../run-session.ts';
import { breakpointsChanged, describeStop, onBreakpointsChanged, stopIsCurrent } from '../disassembly.ts';
import { sourceText } from '../source-text.ts';
import { useBoardLab } from '../store.ts';
import { cpuClusters, isHeterogeneous, relative } from '../views.ts';
import './source-view.css';
import { useRefreshKey } from './use-refresh-key.ts';
import { useBreakpointStop } from './use-breakpoint-stop.ts';

/** While the guest runs, the view follows its pc this often. */

/** "hello/hello.c" → "hello.c" for the title; the full path is its tooltip. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function SourceView() {
  const board = useBoardLab((s) => s.board);
  const state = useBoardLab((s) => s.run.state);
  const instructions = useBoardLab((s) => s.run.instructions);
  const hart = useBoardLab((s) => s.debugCpu);
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;
  const heterogeneous = board !== null && isHeterogeneous(cpuClusters(board.resolved));
  const breakpointCpu = heterogeneous && hart !== null ? hart : undefined;

  /** The file picked by the user, or null to follow the pc. */
  const [picked, setPicked] = useState<string | null>(null);
  const [lines, setLines] = useState<SourceLines | null>(null);
  const [text, setText] = useState<{ file: string; lines: string[] | null } | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [breakpointsVersion, setBreakpointsVersion] = useState(0);
  useEffect(() => onBreakpointsChanged(() => setBreakpointsVersion((v) => v + 1)), []);

  useEffect(() => {
    setPicked(null);
    setSelected(null);
  }, [board?.resolved, hart]);

  // Why the guest paused (a breakpoint, a line step), as the disassembly says it; a stop shows the pc's file again.
  const [stop] = useBreakpointStop(() => setPicked(null));

  const refreshKey = useRefreshKey(running, instructions);

  useEffect(() => {
    const client = emulatorClient();
    if (!client || hart === null) return;
    let cancelled = false;
    void client.sourceView(hart, picked ?? undefined).then((view) => {
      if (!cancelled) setLines(view);
    });
    return () => {
      cancelled = true;
    };
  }, [refreshKey, state, hart, picked, board, breakpointsVersion]);

  // The text of the file shown (fetched once per file).
  const file = lines?.file ?? null;
  const image = lines?.image ?? null;
  useEffect(() => {
    if (file === null || image === null || board === null) return;
    let cancelled = false;
    void sourceText(board.text, image, file).then((found) => {
      if (!cancelled) setText({ file, lines: found === null ? null : found.replace(/\n$/, '').split('\n') });
    });
    return () => {
      cancelled = true;
    };
  }, [file, image, board]);

  const position = lines?.position ?? null;
  const currentLine = position !== null && position.file === file ? position.line : null;

  // Keep the current line in sight in the view's own scrolling area.
  const linesRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = linesRef.current;
    const focus = selected ?? currentLine;
    if (!host || focus === null) return;
    const row = host.querySelector(`[data-line="${focus}"]`);
    if (!row) return;
    const rowBox = row.getBoundingClientRect();
    const box = host.getBoundingClientRect();
    if (rowBox.top < box.top || rowBox.bottom > box.bottom) host.scrollTop += rowBox.top - box.top - (box.height - rowBox.height) / 2;
  }, [currentLine, text, selected]);

  async function toggleBreakpoint(line: number): Promise<void> {
    const client = emulatorClient();
    if (!client || hart === null || file === null || lines === null) return;
    await client.setLineBreakpoint(hart, file, line, !lines.breakpointLines.includes(line), breakpointCpu);
    breakpointsChanged();
  }

  function stepLine(over: boolean): void {
    if (hart !== null) void emulatorClient()?.stepLine(hart, over);
  }

  const codeLines = new Set(lines?.codeLines ?? []);
  const shown = text !== null && text.file === file ? text.lines : null;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'F11') {
      if (!running) stepLine(false);
    } else if (event.key === 'F10') {
      if (!running) stepLine(true);
    } else if (event.key === 'F9') {
      const line = selected ?? currentLine;
      if (line !== null) void toggleBreakpoint(line);
    } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && shown !== null) {
      const from = selected ?? currentLine ?? 1;
      setSelected(Math.min(shown.length, Math.max(1, from + (event.key === 'ArrowDown' ? 1 : -1))));
    } else return;
    event.preventDefault();
  }

  return (
    <div className="source" data-testid="source-view">
      <div className="debug__title">
        source
        {lines !== null && lines.files.length > 0 && (
          <select className="inspector__input source__file" value={file ?? ''} onChange={(event) => setPicked(event.target.value)} data-testid="source-file" title="The source file shown">
            {file === null && <option value="">(no line here)</option>}
            {lines.files.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        )}
        <button type="button" className={`small ${picked === null ? 'toggled' : ''}`} aria-pressed={picked === null} onClick={() => setPicked(null)} data-testid="source-follow" title="Show the file and line the program counter is at">
          follow pc
        </button>
        <button type="button" className="small" onClick={() => stepLine(false)} disabled={running || hart === null || lines?.image == null} data-testid="source-step-line" title="Step line (F11 in the source): run to the next source line, into a function it calls (gdb's step)">
          step line
        </button>
        <button type="button" className="small" onClick={() => stepLine(true)} disabled={running || hart === null || lines?.image == null} data-testid="source-next-line" title="Next line (F10 in the source): run to the next source line, over the calls on this one (gdb's next)">
          next line
        </button>
      </div>
      {stopIsCurrent(stop, state, instructions) && (
        <div className="disasm__stop" data-testid="source-stop">
          paused: {describeStop(stop, relative)}
        </div>
      )}
      <div className="source__lines" ref={linesRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="source-lines" aria-label="Source: arrows select a line, F9 toggles a breakpoint, F11 steps a line, F10 steps over a line">
        {lines === null || lines.image === null ? (
          <div className="inspector__doc">no line information: this firmware was built without debug info (gcc -g), or is no ELF</div>
        ) : file === null ? (
          <div className="inspector__doc">the pc is in code without line information; pick a file to see it</div>
        ) : shown === null ? (
          <div className="inspector__doc" data-testid="source-missing">
            {baseName(file)}: {text === null ? 'loading…' : 'the source is not available here (only the bundled firmware’s and the board’s own sources are)'}
          </div>
        ) : (
          shown.map((content, index) => {
            const number = index + 1;
            const isCode = codeLines.has(number);
            const hasBreakpoint = lines.breakpointLines.includes(number);
            const isCurrent = number === currentLine;
            const classes = ['source__line', isCurrent ? 'source__line--current' : '', number === selected ? 'source__line--selected' : ''].filter(Boolean).join(' ');
            return (
              <div className={classes} key={number} data-testid="source-line" data-line={number} data-current={isCurrent || undefined} data-breakpoint={hasBreakpoint || undefined} onClick={() => setSelected(number)}>
                <button
                  type="button"
                  className="disasm__gutter"
                  disabled={!isCode}
                  onClick={(event) => {
                    event.stopPropagation();
                    void toggleBreakpoint(number);
                  }}
                  aria-label={`${hasBreakpoint ? 'Clear' : 'Set'} a breakpoint on line ${number}`}
                  data-testid="source-gutter"
                >
                  {hasBreakpoint ? '●' : ''}
                </button>
                <span className="source__number">{number}</span>
                <span className="source__text">{content}</span>
              </div>
            );
          })
        )}
      </div>
    </div>
  );
}
