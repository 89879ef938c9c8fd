// mps2-an385's memory map against a live qemu-system-arm 7.2: QEMU prints its flattened memory map
// (`info mtree -f` on the monitor), and every byte range must hold the same thing in BoardLab's
// resolved board — the same RAM (mirrors included), the same device model, or a block that reads 0
// where QEMU has an unimplemented-device (or a device BoardLab does not model yet, listed below).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addressSpaceView } from './memory-map.ts';
import { boardFromMachineType, resolveBoard } from './index.ts';

/** QEMU's region names → what BoardLab has there. */
const QEMU_NAMES: Record<string, string> = {
  'mps.ssram1': 'ram:ssram1',
  'mps.blockram': 'ram:blockram',
  'mps.ssram23': 'ram:ssram23',
  'mps.ram': 'ram:psram',
  'cmsdk-apb-timer': 'cmsdk-apb-timer',
  'cmsdk-apb-dualtimer': 'cmsdk-apb-dualtimer',
  uart: 'cmsdk-apb-uart',
  'mps2-fpgaio': 'mps2-fpgaio',
  'mps2-scc': 'mps2-scc',
  // Devices QEMU models and BoardLab does not yet: inside QEMU's unimplemented blocks, they read 0 here.
  'cmsdk-apb-watchdog': 'unimplemented-device',
  pl022: 'unimplemented-device',
  arm_sbcon_i2c: 'unimplemented-device',
};
/** Not modelled and outside every stub block: nothing is there in BoardLab. */
const ABSENT = new Set(['lan9118-mmio']);

interface Range {
  start: number;
  end: number; // exclusive
  what: string;
}

function qemuMemoryMap(): Range[] {
  const result = spawnSync('qemu-system-arm', ['-M', 'mps2-an385', '-S', '-display', 'none', '-serial', 'null', '-monitor', 'stdio'], { input: 'info mtree -f\nquit\n', encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  // The FlatView of the system address space ("memory"), without the CPU's own regions.
  // The monitor echoes the typed command with terminal escapes; strip them (ESC is U+001B).
  const text = result.stdout.replace(new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*[A-Za-z]`, 'g'), '');
  const view = text.split(/FlatView #\d+/).find((part) => /AS "memory"/.test(part));
  if (view === undefined) throw new Error(`qemu-system-arm printed no flat view of "memory":\n${text}`);
  const ranges: Range[] = [];
  for (const m of view.matchAll(/^\s+([0-9a-f]{16})-([0-9a-f]{16}) \(prio (-?\d+), (\w+|i\/o)\): (.+?)(?: @[0-9a-f]{16})?$/gm)) {
    const [, start, end, prio, , name] = m;
    const trimmed = name.trim();
    const what = prio === '-1000' ? 'unimplemented-device' : ABSENT.has(trimmed) ? 'nothing' : QEMU_NAMES[trimmed];
    if (what === undefined) throw new Error(`no BoardLab counterpart known for QEMU's region "${trimmed}"`);
    ranges.push({ start: parseInt(start, 16), end: parseInt(end, 16) + 1, what });
  }
  return ranges;
}

function boardlabMemoryMap(): Range[] {
  const result = resolveBoard(boardFromMachineType('mps2-an385'));
  if (!result.ok) throw new Error(result.problems[0].message);
  const board = result.board;
  const typeOf = new Map(board.objects.map((o) => [o.path, o]));
  return addressSpaceView(board, 'system').map((segment) => {
    const m = segment.mapping;
    const object = typeOf.get(m.alias?.object ?? m.object)!;
    const kind = m.alias?.kind ?? m.kind;
    return { start: segment.base, end: segment.base + segment.size, what: kind === 'mmio' ? object.type : `ram:${object.name}` };
  });
}

describe('mps2-an385 against qemu-system-arm -M mps2-an385', () => {
  it('every address holds the same RAM or device (or reads 0 in a stub block) as QEMU 7.2', () => {
    const qemu = qemuMemoryMap();
    const ours = boardlabMemoryMap();
    expect(qemu.length).toBeGreaterThan(30);
    const points = [...new Set([...qemu, ...ours].flatMap((r) => [r.start, r.end]))].sort((a, b) => a - b);
    const lookup = (ranges: Range[], address: number) => ranges.find((r) => address >= r.start && address < r.end)?.what ?? 'nothing';
    const differences: string[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const expected = lookup(qemu, points[i]);
      const actual = lookup(ours, points[i]);
      if (expected !== actual) differences.push(`0x${points[i].toString(16)}–0x${(points[i + 1] - 1).toString(16)}: QEMU ${expected}, BoardLab ${actual}`);
    }
    expect(differences).toEqual([]);
  });
});
