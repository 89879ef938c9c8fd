// A resolved board as a graph to draw: one node per object, a bus node per address space, an edge
// from each bus to every region mapped into it (labelled with its base address), an edge from each
// CPU to the bus it masters, and one edge per IRQ wire. Pure data, no React: the view lays it out.
import { findType, formatSize, hex, ROOT_PATH, type ResolvedBoard } from '../graph/index.ts';
import { imageFileName } from './images.ts';

/** A node's colour family: the type's catalog category (cpu, memory, serial, interrupt, …), or "bus". */
export type GraphNodeKind = string;

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Object name (or bus name). */
  title: string;
  /** Object type (or "address space"). */
  subtitle: string;
  /** Further lines: address, size, image. */
  details: string[];
}

export type GraphEdgeKind = 'master' | 'mapping' | 'irq';

export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  source: string;
  target: string;
  label: string;
  /** An IRQ edge's wire (index into board.irqs): drawn lit while its line is high. */
  irqWire?: number;
  /** A mapping edge's mapping (index into board.memory): pulses when it is touched. */
  mapping?: number;
}

export interface BoardGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const busId = (space: string): string => `bus:${space}`;

function relative(path: string): string {
  return path.startsWith(`${ROOT_PATH}/`) ? path.slice(ROOT_PATH.length + 1) : path;
}

/** The overview of `board`; a CPU's node names the image file its document gives it (what it runs). */
export function boardGraph(board: ResolvedBoard): BoardGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const spaces = [...new Set(board.memory.map((m) => m.space))];
  if (spaces.length === 0) spaces.push('system');

  for (const space of spaces) {
    nodes.push({ id: busId(space), kind: 'bus', title: space === 'system' ? 'system bus' : `${space} bus`, subtitle: 'address space', details: [] });
  }

  for (const object of board.objects) {
    const category = findType(object.type)?.category ?? 'misc';
    const details: string[] = [];
    for (const mapping of board.memory.filter((m) => m.object === object.path)) {
      details.push(`${mapping.region} ${hex(mapping.base)} · ${formatSize(mapping.size)}`);
    }
    for (const image of board.images.filter((i) => i.cpu === object.path)) {
      details.push(`image ${imageFileName(image.file)}`);
    }
    nodes.push({ id: object.path, kind: category, title: relative(object.path), subtitle: object.type, details });
    if (category === 'cpu') {
      edges.push({ id: `master:${object.path}`, kind: 'master', source: object.path, target: busId(spaces[0]), label: '' });
    }
  }

  // Address order, lowest first: the layout keeps model order, so the map reads top to bottom.
  const firstBase = (path: string) => Math.min(...board.memory.filter((m) => m.object === path).map((m) => m.base >>> 0));
  const rank = (node: GraphNode) => (node.kind === 'bus' ? -2 : node.kind === 'cpu' ? -1 : Number.isFinite(firstBase(node.id)) ? firstBase(node.id) : Infinity);
  nodes.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));

  const byBase = board.memory.map((mapping, index) => ({ mapping, index })).sort((a, b) => (a.mapping.base >>> 0) - (b.mapping.base >>> 0));
  byBase.forEach(({ mapping, index }) => {
    edges.push({
      id: `map:${index}`,
      kind: 'mapping',
      source: busId(mapping.space),
      target: mapping.object,
      label: hex(mapping.base),
      mapping: index,
    });
  });

  board.irqs.forEach((irq, index) => {
    edges.push({
      id: `irq:${index}`,
      kind: 'irq',
      source: irq.source.object,
      target: irq.target.object,
      label: `${irq.source.port} → ${irq.target.port}${irq.target.index ? `[${irq.target.index}]` : ''}`,
      irqWire: index,
    });
  });

  return { nodes, edges };
}
