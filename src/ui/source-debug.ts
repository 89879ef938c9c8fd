// Source-level debugging in the source editor (./components/SourceEditor.tsx): for one of the
// board's assembly sources, the lines with breakpoints, the line the CPU running it is at (while
// the guest is paused), and toggling a breakpoint on a line — through the worker's debugger, which
// reads the line table the assembler wrote into the source's ELF (as it reads gcc -g output).
// Breakpoints set here show in the debug panel's views too, and theirs here.
import { useCallback, useEffect, useState } from 'react';
import { WorkerRunState } from '../workers/control.ts';
import { breakpointsChanged, onBreakpointsChanged } from './disassembly.ts';
import { emulatorClient } from './run-session.ts';
import { useBoardLab } from './store.ts';
import { cpuClusters, isHeterogeneous } from './views.ts';

export interface SourceDebugging {
  breakpointLines: number[];
  currentLine: number | null;
  onToggleBreakpoint(line: number): void;
}

const NO_LINES: number[] = [];
/** pausedAt while the guest runs (an instruction count is never negative). */
const RUNNING = -1;

type SourceLines = { breakpoints: number[]; current: number | null };

/** A state update that keeps the previous lines when `next` says the same (no re-render of the editor). */
function keepIfSame(next: SourceLines): (previous: SourceLines) => SourceLines {
  return (previous) =>
    previous.current === next.current && previous.breakpoints.length === next.breakpoints.length && previous.breakpoints.every((line, i) => line === next.breakpoints[i]) ? previous : next;
}

/** The debugger's view of source `name` (undefined: none shown), for the source editor's props. */
export function useSourceDebugging(name: string | undefined): SourceDebugging {
  const board = useBoardLab((s) => s.board);
  const state = useBoardLab((s) => s.run.state);
  const instructions = useBoardLab((s) => s.run.instructions);
  const running = state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE;
  // The current line shows only while the guest is paused, where a step moves it: while it runs,
  // the count changes every frame and asking the worker each time would re-render the editor at
  // the frame rate for nothing.
  const pausedAt = running ? RUNNING : instructions;
  // The CPU whose image is assembled from this source (an image for every hart: the first hart).
  const image = name === undefined ? undefined : board?.resolved.images.find((i) => i.source?.name === name);
  const hart = image === undefined || board === null ? null : (image.cpu ?? cpuClusters(board.resolved)[0]?.cpus[0] ?? null);
  const heterogeneous = board !== null && isHeterogeneous(cpuClusters(board.resolved));
  const [lines, setLines] = useState<SourceLines>({ breakpoints: NO_LINES, current: null });
  const [version, setVersion] = useState(0);
  useEffect(() => onBreakpointsChanged(() => setVersion((v) => v + 1)), []);

  useEffect(() => {
    const client = emulatorClient();
    if (!client || hart === null || name === undefined) {
      setLines(keepIfSame({ breakpoints: NO_LINES, current: null }));
      return;
    }
    let cancelled = false;
    void client.sourceView(hart, name).then((view) => {
      if (cancelled) return;
      const position = view?.position;
      setLines(keepIfSame({ breakpoints: view?.breakpointLines ?? NO_LINES, current: !running && position?.file === name ? position.line : null }));
    });
    return () => {
      cancelled = true;
    };
  }, [hart, name, running, pausedAt, state, board, version]);

  const onToggleBreakpoint = useCallback(
    (line: number) => {
      const client = emulatorClient();
      if (!client || hart === null || name === undefined) return;
      void client.setLineBreakpoint(hart, name, line, !lines.breakpoints.includes(line), heterogeneous ? hart : undefined).then(() => breakpointsChanged());
    },
    [hart, name, lines.breakpoints, heterogeneous],
  );

  return { breakpointLines: lines.breakpoints, currentLine: lines.current, onToggleBreakpoint };
}
