// What a CPU sees: a resolved board's mappings flattened into non-overlapping segments, the way
// QEMU renders its memory-region tree. Where mappings overlap, the one with the higher priority at
// the level where their container chains part wins; a CPU's own address space lies over "system".
import type { ResolvedBoard, ResolvedMapping } from './resolve.ts';

/** The address space a CPU sees: its "address-space" property ("system", shared by every CPU, by default). */
export function cpuAddressSpace(cpu: { readonly props: Readonly<Record<string, unknown>> }): string {
  const space = cpu.props['address-space'];
  return typeof space === 'string' ? space : 'system';
}

export interface MemorySegment {
  base: number;
  size: number;
  mapping: ResolvedMapping;
  /** Offset of `base` inside the region the mapping shows (for aliases: inside the aliased region). */
  offset: number;
}

/** Does mapping `a` win over mapping `b` where they overlap (same address space)? */
function wins(a: ResolvedMapping, b: ResolvedMapping): boolean {
  let level = 0;
  while (level < a.containers.length && level < b.containers.length && a.containers[level] === b.containers[level]) level++;
  return (a.priorities[level] ?? 0) > (b.priorities[level] ?? 0);
}

function flatten(mappings: ResolvedMapping[]): MemorySegment[] {
  const points = new Set<number>();
  for (const m of mappings) {
    points.add(m.base);
    points.add(m.base + m.size);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const segments: MemorySegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i];
    const end = sorted[i + 1];
    let winner: ResolvedMapping | undefined;
    for (const m of mappings) {
      if (m.base <= start && m.base + m.size >= end && (winner === undefined || wins(m, winner))) winner = m;
    }
    if (winner === undefined) continue;
    const offset = start - winner.base + (winner.alias?.offset ?? 0);
    const last = segments[segments.length - 1];
    if (last !== undefined && last.mapping === winner && last.base + last.size === start) last.size += end - start;
    else segments.push({ base: start, size: end - start, mapping: winner, offset });
  }
  return segments;
}

/** The segments of one address space as a CPU using it sees them: its own mappings over "system". */
export function addressSpaceView(board: ResolvedBoard, space = 'system'): MemorySegment[] {
  const system = flatten(board.memory.filter((m) => m.space === 'system'));
  if (space === 'system') return system;
  const own = flatten(board.memory.filter((m) => m.space === space));
  const result: MemorySegment[] = [];
  for (const segment of system) {
    // Cut the parts of the system segment that the CPU's own mappings cover.
    let pieces = [{ base: segment.base, size: segment.size, offset: segment.offset }];
    for (const top of own) {
      pieces = pieces.flatMap((p) => {
        const end = p.base + p.size;
        const topEnd = top.base + top.size;
        if (topEnd <= p.base || top.base >= end) return [p];
        const out = [];
        if (top.base > p.base) out.push({ base: p.base, size: top.base - p.base, offset: p.offset });
        if (topEnd < end) out.push({ base: topEnd, size: end - topEnd, offset: p.offset + (topEnd - p.base) });
        return out;
      });
    }
    result.push(...pieces.map((p) => ({ ...p, mapping: segment.mapping })));
  }
  return [...result, ...own].sort((a, b) => a.base - b.base);
}

/** Address spaces CPUs of the board use. */
export function addressSpaces(board: ResolvedBoard): string[] {
  return [...new Set(['system', ...board.memory.map((m) => m.space)])];
}
