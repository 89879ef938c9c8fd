// What the debugger's memory view shows at an address: the bytes of RAM or ROM there (read live
// from the SharedArrayBuffer the worker shares — the machine's guest arena — no copies), or why there are none — device
// registers (reading them has side effects), nothing mapped. The address space is flattened from
// the resolved board exactly as the engine builds it (src/graph/memory-map.ts), so priorities,
// containers and aliases land where the CPU sees them: an alias of RAM shows that RAM.
import { addressSpaceView, cpuAddressSpace, hex, type MemorySegment, type ResolvedBoard } from '../graph/index.ts';
import type { SharedMemory } from '../workers/emulator.worker.ts';
import { relative } from './views.ts';

export type MemoryAt =
  /** RAM or ROM shared with the page: `bytes[0]` is the byte at `base`. */
  | { kind: 'memory'; name: string; base: number; size: number; bytes: Uint8Array; readOnly: boolean }
  /** RAM or ROM whose buffer the page cannot see (not a SharedArrayBuffer). */
  | { kind: 'not-shared'; name: string; base: number; size: number }
  /** A device's registers. */
  | { kind: 'mmio'; name: string; base: number; size: number }
  /** Nothing at the address; `mapped` lists what is, in address order. */
  | { kind: 'unmapped'; mapped: ReadonlyArray<{ name: string; base: number }> };

/** A segment's name as the user wrote it: "uart0.regs", "ram.mem (alias)". */
function segmentName(segment: MemorySegment): string {
  const { mapping } = segment;
  return `${relative(mapping.object)}.${mapping.region}${mapping.kind === 'alias' ? ' (alias)' : ''}`;
}

/** What address space `space` (default "system", what every CPU without its own sees) holds at `address`. */
export function memoryAt(board: ResolvedBoard, shared: readonly SharedMemory[], address: number, space = 'system'): MemoryAt {
  address >>>= 0;
  const segments = addressSpaceView(board, space);
  const segment = segments.find((s) => address >= s.base && address < s.base + s.size);
  if (segment === undefined) return { kind: 'unmapped', mapped: segments.map((s) => ({ name: segmentName(s), base: s.base })) };
  const { mapping } = segment;
  const name = segmentName(segment);
  const where = { name, base: segment.base, size: segment.size };
  // An alias is a window onto another region: what it shows is that region's kind and bytes.
  const kind = mapping.alias?.kind ?? mapping.kind;
  if (kind === 'mmio') return { kind: 'mmio', ...where };
  const object = mapping.alias?.object ?? mapping.object;
  const region = mapping.alias?.region ?? mapping.region;
  const backing = shared.find((m) => m.path === object && m.region === region);
  if (backing === undefined) return { kind: 'not-shared', ...where };
  // segment.offset: where in the region the segment starts (inside an alias's target, too); the
  // region is byteLength bytes from byteOffset of a buffer that holds other regions' bytes too.
  const length = Math.max(0, Math.min(segment.size, backing.byteLength - segment.offset));
  const bytes = new Uint8Array(backing.buffer, backing.byteOffset + Math.min(segment.offset, backing.byteLength), length);
  return { kind: 'memory', ...where, bytes, readOnly: kind === 'rom' };
}

/** Why there are no bytes to show at `address`, in a sentence; undefined for memory. */
export function noBytesReason(at: MemoryAt, address: number): string | undefined {
  switch (at.kind) {
    case 'memory':
      return undefined;
    case 'mmio':
      return `${at.name} is MMIO (device registers at ${hex(at.base)}): reading it has side effects, not shown`;
    case 'not-shared':
      return `${at.name} is not shared with the page, not shown`;
    case 'unmapped':
      return at.mapped.length === 0
        ? `nothing is mapped at ${hex(address >>> 0)}; the board maps no memory`
        : `nothing is mapped at ${hex(address >>> 0)}; mapped: ${at.mapped.map((m) => `${m.name} at ${hex(m.base)}`).join(', ')}`;
  }
}

export interface DumpRow {
  address: number;
  /** The row's bytes (fewer than a full row at the end of the region). */
  bytes: number[];
}

/**
 * Rows of `perRow` bytes from the row holding `address` (rows start at multiples of `perRow`),
 * at most `rows` of them, ending with the region.
 */
export function dumpRows(at: MemoryAt & { kind: 'memory' }, address: number, rows: number, perRow = 16): DumpRow[] {
  const result: DumpRow[] = [];
  const end = at.base + at.bytes.length;
  let row = Math.max(at.base, (Math.floor((address >>> 0) / perRow) * perRow));
  for (let i = 0; i < rows && row < end; i++) {
    const next = i === 0 ? Math.min(end, (Math.floor(row / perRow) + 1) * perRow) : Math.min(end, row + perRow);
    result.push({ address: row, bytes: Array.from(at.bytes.subarray(row - at.base, next - at.base)) });
    row = next;
  }
  return result;
}

/** Bytes as the dump's text column shows them: printable ASCII as itself, anything else as ".". */
export function printableText(bytes: readonly number[]): string {
  return bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/** A row as the dump shows it: "0x80000000  97 11 00 00 …  ascii". */
export function rowText(row: DumpRow): string {
  return `${hex(row.address)}  ${row.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}  ${printableText(row.bytes)}`;
}

/** Where the view starts on a board: its first RAM (where firmware lives), else its first mapping, else 0. */
export function defaultViewAddress(board: ResolvedBoard, space = 'system'): number {
  const segments = addressSpaceView(board, space);
  const ram = segments.find((s) => (s.mapping.alias?.kind ?? s.mapping.kind) === 'ram');
  return (ram ?? segments[0])?.base ?? 0;
}

/** The address space a hart fetches from (its "address-space" property; "system" by default). */
export function hartSpace(board: ResolvedBoard, hart: string): string {
  const object = board.objects.find((o) => o.path === hart);
  return object ? cpuAddressSpace(object) : 'system';
}
