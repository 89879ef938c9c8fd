// The debugger's views of the running machine: each hart's registers (fetched from the worker a few
// times a second, and after each Step), the code around a hart's pc with breakpoints
// (./DisassemblyView.tsx), and a memory viewer that reads the guest RAM live from the
// SharedArrayBuffers the worker shares with the page — no copies, no messages.
import { useEffect, useMemo, useState } from 'react';
import { hex } from '../../graph/index.ts';
import type { HartRegisters } from '../../workers/emulator.worker.ts';
import { readRegisters } from '../controller.ts';
import { DisassemblyView } from './DisassemblyView.tsx';
import { useBoardLab } from '../store.ts';
import { relative } from '../views.ts';

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const ROWS = 8;
const PER_ROW = 16;

function Registers() {
  const [harts, setHarts] = useState<HartRegisters[]>([]);
  const instructions = useBoardLab((s) => s.run.instructions);
  const state = useBoardLab((s) => s.run.state);
  useEffect(() => {
    let cancelled = false;
    void readRegisters().then((r) => {
      if (!cancelled) setHarts(r);
    });
    return () => {
      cancelled = true;
    };
  }, [instructions, state]);
  if (harts.length === 0) return <div className="inspector__doc">no harts</div>;
  return (
    <div className="debug__harts">
      {harts.map((hart) => (
        <div className="debug__hart" key={hart.path} data-testid={`registers-${relative(hart.path)}`}>
          <div className="debug__title">
            {relative(hart.path)} <span className="debug__pc" data-testid="pc">pc {hex(hart.pc)}</span>
          </div>
          <div className="debug__regs">
            {hart.x.map((value, i) => (
              <span className="debug__reg" key={i} title={`x${i}`}>
                <span className="debug__name">{ABI[i]}</span> {hex(value)}
              </span>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

function MemoryViewer() {
  const shared = useBoardLab((s) => s.sharedRam);
  const board = useBoardLab((s) => s.board);
  const [address, setAddress] = useState('0x80000000');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 250);
    return () => clearInterval(timer);
  }, []);
  const regions = useMemo(
    () =>
      shared.flatMap((ram) =>
        (board?.resolved.memory ?? []).filter((m) => m.object === ram.path && m.kind !== 'alias').map((m) => ({ base: m.base >>> 0, size: m.size, bytes: new Uint8Array(ram.buffer), path: ram.path })),
      ),
    [shared, board],
  );
  const start = (Number(address) >>> 0) & ~0xf;
  const region = regions.find((r) => start >= r.base && start < r.base + r.size);
  void tick;
  const lines: string[] = [];
  if (region) {
    for (let row = 0; row < ROWS; row++) {
      const at = start + row * PER_ROW;
      if (at >= region.base + region.size) break;
      const offset = at - region.base;
      const bytes = Array.from(region.bytes.subarray(offset, Math.min(offset + PER_ROW, region.bytes.length)));
      const text = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      lines.push(`${hex(at)}  ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}  ${text}`);
    }
  }
  return (
    <div className="debug__memory">
      <div className="debug__title">
        memory at{' '}
        <input className="inspector__input debug__address" value={address} onChange={(event) => setAddress(event.target.value)} data-testid="memory-address" spellCheck={false} />
        {region && <span className="inspector__unit">{relative(region.path)} (shared, live)</span>}
      </div>
      <pre className="debug__dump" data-testid="memory-dump">
        {region ? lines.join('\n') : regions.length === 0 ? 'no shared RAM' : 'not RAM: ' + regions.map((r) => `${relative(r.path)} ${hex(r.base)}`).join(', ')}
      </pre>
    </div>
  );
}

export function DebugPanel() {
  return (
    <div className="debug debug--code" data-testid="debug-panel">
      <Registers />
      <DisassemblyView />
      <MemoryViewer />
    </div>
  );
}
