// The four views of a board, as data to draw: Composition (the object tree), Memory map (regions in
// address order under their address spaces and containers), IRQ wiring (ports as handles) and Reset
// wiring. Each is a pure projection of one resolved board; React Flow and ELK draw it (BoardViews).
import { cpuAddressSpace, cpuArchitecture, effectiveType, findType, irqLineCount, formatSize, hex, ROOT_PATH, type BoardProblem, type ResolvedBoard, type ResolvedMapping } from '../graph/index.ts';

export type ViewName = 'composition' | 'memory' | 'irq' | 'reset';

export const VIEW_NAMES: readonly ViewName[] = ['composition', 'memory', 'irq', 'reset'];

export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  composition: 'Composition',
  memory: 'Memory map',
  irq: 'IRQ wiring',
  reset: 'Reset wiring',
};

export interface ViewPort {
  /** Handle id: "in:<port>" or "out:<port>". */
  id: string;
  label: string;
  doc?: string;
}

export interface ViewNode {
  /** Unique in the view; also the layout key after "<view>:" (an object path, or a region "path.region"). */
  id: string;
  /** The object this node shows (selection and the inspector use it), if any. */
  object?: string;
  /** Colour family: a catalog category, "bus", "container", "ram"/"rom"/"mmio"/"alias", "board". */
  kind: string;
  title: string;
  subtitle: string;
  details: string[];
  inputs: ViewPort[];
  outputs: ViewPort[];
  /** Composition: a composite that can collapse (and whether it is collapsed). */
  collapsible?: boolean;
  collapsed?: boolean;
  /** Memory map: this region overlaps another one in its address space. */
  overlap?: boolean;
  /** Problems of the object (their messages). */
  problems?: string[];
  /** Warnings about the object's wiring (../graph/warnings.ts): the board runs, but probably not as meant. */
  warnings?: string[];
  /** A CPU, a cluster of CPUs or an address space: the architecture that colours it (architectureSlug). */
  architecture?: string;
}

/** The CSS name of a CPU architecture ("RISC-V" → "riscv", "ARM" → "arm"): nodes and palette entries are coloured by it. */
export function architectureSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The architecture of a CPU type as the designer names and colours it, or undefined for a type that is not a CPU. */
export function cpuArchitectureOf(type: string): { name: string; slug: string } | undefined {
  const architecture = cpuArchitecture(type);
  return architecture === undefined ? undefined : { name: architecture.name, slug: architectureSlug(architecture.name) };
}

/** A cluster: the CPUs of one architecture that share one address space (one view of memory). */
export interface CpuCluster {
  id: string;
  architecture: { name: string; slug: string };
  space: string;
  cpus: string[];
}

/**
 * The address space each top-level CPU of a document names ("address-space"), by path. A draft's
 * resolved board drops a value it rejects — and a CPU's own address space is rejected until
 * something is mapped in it — so the views take the space from the document: the bus to map the
 * first region from must show before anything is mapped there.
 */
export function declaredCpuSpaces(document: { objects?: Readonly<Record<string, unknown>> } | null): Map<string, string> {
  const spaces = new Map<string, string>();
  for (const [name, object] of Object.entries(document?.objects ?? {})) {
    const space = (object as { props?: Record<string, unknown> } | null)?.props?.['address-space'];
    if (typeof space === 'string' && space !== '') spaces.set(`${ROOT_PATH}/${name}`, space);
  }
  return spaces;
}

/** The board's CPUs grouped into clusters, in board order; each CPU's architecture comes from its type, its space from `declared` (declaredCpuSpaces) or the board. */
export function cpuClusters(board: ResolvedBoard, declared: ReadonlyMap<string, string> = new Map()): CpuCluster[] {
  const clusters = new Map<string, CpuCluster>();
  for (const object of board.objects) {
    const architecture = cpuArchitectureOf(object.type);
    if (architecture === undefined || object.composite) continue;
    const space = declared.get(object.path) ?? cpuAddressSpace(object);
    const id = `cluster:${architecture.slug}:${space}`;
    const cluster = clusters.get(id) ?? { id, architecture, space, cpus: [] };
    cluster.cpus.push(object.path);
    clusters.set(id, cluster);
  }
  return [...clusters.values()];
}

/** A board whose CPUs see memory differently or run different instruction sets: its views group and colour them. */
export function isHeterogeneous(clusters: readonly CpuCluster[]): boolean {
  return clusters.length > 1;
}

/** The document entry an edge draws, so it can be selected, inspected, edited and deleted. */
export interface EdgeEntry {
  kind: 'irq' | 'mapping' | 'reset';
  /** The entry's JSON Pointer ("/irqs/3"), or where an inherited one came from ("/extends"). */
  pointer: string;
  /** What the edge connects: tells apart entries that share a pointer (inherited ones). */
  key: string;
}

/** An entry of the board's own document ("/irqs/3"), which can be edited and deleted there. */
export function isBoardEntry(entry: EdgeEntry): boolean {
  return /^\/(irqs|memory|resets)\/\d+$/.test(entry.pointer);
}

export function sameEntry(a: EdgeEntry | null | undefined, b: EdgeEntry | null | undefined): boolean {
  if (!a || !b) return false;
  return a.kind === b.kind && a.pointer === b.pointer && (isBoardEntry(a) || a.key === b.key);
}

export interface ViewEdge {
  id: string;
  kind: 'tree' | 'mapping' | 'alias' | 'irq' | 'reset';
  source: string;
  target: string;
  sourceHandle?: string;
  targetHandle?: string;
  label: string;
  /** IRQ view: the wires this edge draws (indices into board.irqs); lit while any is high. */
  irqWires?: number[];
  /** Memory view: the mapping this edge draws (index into board.memory); pulses when it is touched. */
  mapping?: number;
  /** The document entry it draws (absent for the composition tree's edges). */
  entry?: EdgeEntry;
  /** A warning about this wire (../graph/warnings.ts), if any. */
  warning?: string;
  /** IRQ view: the lines at each end that has more than one ("10", "0..3"), shown beside that end. */
  lines?: { source?: string; target?: string };
}

export interface BoardView {
  view: ViewName;
  nodes: ViewNode[];
  edges: ViewEdge[];
}

export function relative(path: string): string {
  return path.startsWith(`${ROOT_PATH}/`) ? path.slice(ROOT_PATH.length + 1) : path;
}

/** A line range for labels: "3", "0..3". */
function range(indices: number[]): string {
  if (indices.length === 0) return '';
  const sorted = [...indices].sort((a, b) => a - b);
  const contiguous = sorted.every((value, i) => i === 0 || value === sorted[i - 1] + 1);
  if (sorted.length === 1) return String(sorted[0]);
  return contiguous ? `${sorted[0]}..${sorted[sorted.length - 1]}` : sorted.join(',');
}

/** The problems that belong to each object: the object whose document pointer is the longest prefix of the problem's. */
export function problemsByObject(board: ResolvedBoard | null, problems: readonly BoardProblem[]): Map<string, BoardProblem[]> {
  const result = new Map<string, BoardProblem[]>();
  if (!board) return result;
  for (const problem of problems) {
    const path = objectOfPointer(board, problem.pointer);
    if (path === undefined) continue;
    const list = result.get(path) ?? [];
    list.push(problem);
    result.set(path, list);
  }
  return result;
}

/** The object a JSON Pointer into the document points into: "/objects/cpu0/props/reset-vector" → "/machine/cpu0". */
export function objectOfPointer(board: ResolvedBoard, pointer: string): string | undefined {
  let best: { path: string; length: number } | undefined;
  for (const object of board.objects) {
    const p = object.pointer;
    if (!p.startsWith('/objects/')) continue;
    if ((pointer === p || pointer.startsWith(`${p}/`)) && (best === undefined || p.length > best.length)) best = { path: object.path, length: p.length };
  }
  if (best) return best.path;
  // A pointer to an object that did not resolve ("/objects/ram" after it was removed from a reference) still names it.
  const match = /^\/objects\/([^/]+)/.exec(pointer);
  if (match) {
    const path = `${ROOT_PATH}/${match[1]}`;
    if (board.objects.some((o) => o.path === path)) return path;
  }
  return undefined;
}

function decorate(nodes: ViewNode[], problems: Map<string, BoardProblem[]>, warnings = new Map<string, BoardProblem[]>()): ViewNode[] {
  for (const node of nodes) {
    const list = node.object !== undefined ? problems.get(node.object) : undefined;
    if (list && list.length > 0) node.problems = list.map((p) => p.message);
    const warned = node.object !== undefined ? warnings.get(node.object) : undefined;
    if (warned && warned.length > 0) node.warnings = warned.map((p) => p.message);
  }
  return nodes;
}

/** The IRQ wires a problem points at: "/irqs/3/to" → the lines of wire /irqs/3. */
function wiresOfPointer(board: ResolvedBoard, pointer: string) {
  return board.irqs.filter((w) => /^\/irqs\/\d+$/.test(w.pointer) && (pointer === w.pointer || pointer.startsWith(`${w.pointer}/`)));
}

/** Warnings by object: a warning about a wire belongs to both of its ends; any other to the object its pointer names. */
export function warningsByObject(board: ResolvedBoard | null, warnings: readonly BoardProblem[]): Map<string, BoardProblem[]> {
  const result = new Map<string, BoardProblem[]>();
  if (!board) return result;
  const add = (path: string, warning: BoardProblem) => {
    const list = result.get(path) ?? [];
    if (!list.includes(warning)) list.push(warning);
    result.set(path, list);
  };
  for (const warning of warnings) {
    const wires = wiresOfPointer(board, warning.pointer);
    for (const wire of wires) {
      add(wire.source.object, warning);
      add(wire.target.object, warning);
    }
    if (wires.length > 0) continue;
    const path = objectOfPointer(board, warning.pointer);
    if (path !== undefined) add(path, warning);
  }
  return result;
}

/** The object tree under /machine; descendants of a collapsed composite are hidden. */
export function compositionView(board: ResolvedBoard, collapsed: ReadonlySet<string> = new Set(), problems = new Map<string, BoardProblem[]>(), declared: ReadonlyMap<string, string> = new Map()): BoardView {
  const nodes: ViewNode[] = [{ id: ROOT_PATH, object: undefined, kind: 'board', title: board.name, subtitle: board.machineType ?? 'board', details: [board.platform], inputs: [], outputs: [{ id: 'out:children', label: '' }] }];
  const edges: ViewEdge[] = [];
  const hidden = (path: string) => [...collapsed].some((c) => path.startsWith(`${c}/`));
  const hasChildren = new Set(board.objects.map((o) => o.parent).filter((p): p is string => p !== null));
  // A heterogeneous board: each cluster is a node between its CPUs' parent and the CPUs.
  const clusters = cpuClusters(board, declared);
  const clusterOf = new Map<string, CpuCluster>();
  if (isHeterogeneous(clusters)) {
    for (const cluster of clusters) {
      const cpus = cluster.cpus.filter((path) => !hidden(path));
      if (cpus.length === 0) continue;
      const parents = new Set(cpus.map((path) => board.objects.find((o) => o.path === path)?.parent ?? ROOT_PATH));
      // CPUs of one cluster under different parents stay where the tree puts them.
      if (parents.size !== 1) continue;
      const [parent] = parents;
      for (const path of cpus) clusterOf.set(path, cluster);
      nodes.push({
        id: cluster.id,
        kind: 'cluster',
        title: `${cluster.architecture.name} cluster`,
        subtitle: `address space ${cluster.space}`,
        details: [`${cpus.length} CPU${cpus.length === 1 ? '' : 's'}: ${cpus.map(relative).join(', ')}`],
        inputs: [{ id: 'in:parent', label: '' }],
        outputs: [{ id: 'out:children', label: '' }],
        architecture: cluster.architecture.slug,
      });
      edges.push({ id: `tree:${cluster.id}`, kind: 'tree', source: parent, target: cluster.id, sourceHandle: 'out:children', targetHandle: 'in:parent', label: '' });
    }
  }
  for (const object of board.objects) {
    if (hidden(object.path)) continue;
    const category = object.composite ? 'composite' : (findType(object.type)?.category ?? 'misc');
    const details: string[] = [];
    if (object.source !== 'board') details.push(`from ${object.source}`);
    const explicit = Object.entries(object.origins).filter(([, origin]) => origin.layer === 'explicit').length;
    if (explicit > 0) details.push(`${explicit} explicit propert${explicit === 1 ? 'y' : 'ies'}`);
    const collapsible = hasChildren.has(object.path);
    const architecture = object.composite ? undefined : cpuArchitectureOf(object.type);
    nodes.push({
      id: object.path,
      object: object.path,
      kind: category,
      title: object.name,
      subtitle: object.type,
      details,
      inputs: [{ id: 'in:parent', label: '' }],
      outputs: collapsible ? [{ id: 'out:children', label: '' }] : [],
      collapsible,
      collapsed: collapsed.has(object.path),
      ...(architecture !== undefined && { architecture: architecture.slug }),
    });
    const parent = clusterOf.get(object.path)?.id ?? object.parent ?? ROOT_PATH;
    edges.push({ id: `tree:${object.path}`, kind: 'tree', source: parent, target: object.path, sourceHandle: 'out:children', targetHandle: 'in:parent', label: '' });
  }
  return { view: 'composition', nodes: decorate(nodes, problems), edges };
}

/** Mappings that overlap another mapping of the same address space, by index into board.memory. */
export function overlappingMappings(memory: readonly ResolvedMapping[]): Set<number> {
  const result = new Set<number>();
  const order = memory.map((m, index) => ({ m, index })).sort((a, b) => a.m.space.localeCompare(b.m.space) || (a.m.base >>> 0) - (b.m.base >>> 0));
  for (let i = 0; i < order.length; i++) {
    const a = order[i];
    for (let j = i + 1; j < order.length; j++) {
      const b = order[j];
      if (b.m.space !== a.m.space) break;
      if ((b.m.base >>> 0) >= (a.m.base >>> 0) + a.m.size) break;
      result.add(a.index);
      result.add(b.index);
    }
  }
  return result;
}

function regionId(object: string, region: string): string {
  return `${object}.${region}`;
}

/** Address spaces, then containers, then regions, all in address order; aliases point at the region they show. */
export function memoryView(board: ResolvedBoard, problems = new Map<string, BoardProblem[]>(), only?: string, declared: ReadonlyMap<string, string> = new Map()): BoardView {
  const nodes: ViewNode[] = [];
  const edges: ViewEdge[] = [];
  const shown = (space: string) => only === undefined || space === only;
  const clusters = cpuClusters(board, declared);
  const heterogeneous = isHeterogeneous(clusters);
  const spaces = [...new Set(['system', ...clusters.map((c) => c.space), ...board.memory.map((m) => m.space), ...board.containers.map((c) => c.space)])].filter(shown);
  for (const space of spaces) {
    // On a heterogeneous board each bus says whose view of memory it is, coloured by their architecture.
    const viewers = heterogeneous ? clusters.filter((c) => c.space === space) : [];
    const architectures = [...new Set(viewers.map((c) => c.architecture.slug))];
    nodes.push({
      id: `space:${space}`,
      kind: 'bus',
      title: space === 'system' ? 'system bus' : `${space} bus`,
      subtitle: 'address space',
      details: viewers.map((c) => `view of ${c.cpus.map(relative).join(', ')} (${c.architecture.name})`),
      inputs: [],
      outputs: [{ id: 'out:map', label: '' }],
      ...(architectures.length === 1 && { architecture: architectures[0] }),
    });
  }
  const containers = [...board.containers].filter((c) => shown(c.space)).sort((a, b) => (a.base >>> 0) - (b.base >>> 0));
  for (const container of containers) {
    const id = regionId(container.object, container.region);
    nodes.push({
      id,
      object: container.object,
      kind: 'container',
      title: `${relative(container.object)}.${container.region}`,
      subtitle: 'container',
      details: [`${hex(container.base)} – ${hex(container.base + container.size - 1)}`, formatSize(container.size)],
      inputs: [{ id: 'in:map', label: '' }],
      outputs: [{ id: 'out:map', label: '' }],
    });
  }
  const overlaps = overlappingMappings(board.memory);
  const order = board.memory.map((mapping, index) => ({ mapping, index })).filter(({ mapping }) => shown(mapping.space)).sort((a, b) => (a.mapping.base >>> 0) - (b.mapping.base >>> 0));
  const seen = new Map<string, number>();
  const aliasIds = new Map<number, string>();
  for (const { mapping, index } of order) {
    const base = mapping.kind === 'alias' ? `alias@${hex(mapping.base)}` : regionId(mapping.object, mapping.region);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const id = count === 0 ? base : `${base}@${hex(mapping.base)}`;
    aliasIds.set(index, id);
    const priority = mapping.priorities[mapping.priorities.length - 1] ?? 0;
    const details = [`${hex(mapping.base)} – ${hex(mapping.base + mapping.size - 1)}`, formatSize(mapping.size)];
    if (priority !== 0) details.push(`priority ${priority}`);
    if (mapping.alias) details.push(`alias of ${relative(mapping.alias.object)}.${mapping.alias.region}${mapping.alias.offset ? ` + ${hex(mapping.alias.offset, 1)}` : ''}`);
    if (overlaps.has(index)) details.push('overlaps another region');
    nodes.push({
      id,
      object: mapping.object,
      kind: mapping.kind,
      title: mapping.kind === 'alias' ? `alias @${hex(mapping.base)}` : `${relative(mapping.object)}.${mapping.region}`,
      subtitle: mapping.kind === 'alias' ? 'alias' : `${mapping.kind} region`,
      details,
      inputs: [{ id: 'in:map', label: '' }],
      outputs: [],
      overlap: overlaps.has(index),
    });
    const container = mapping.containers[mapping.containers.length - 1];
    const source = container !== undefined && nodes.some((n) => n.id === container) ? container : `space:${mapping.space}`;
    edges.push({
      id: `map:${index}`,
      kind: 'mapping',
      source,
      target: id,
      sourceHandle: 'out:map',
      targetHandle: 'in:map',
      label: hex(mapping.base),
      mapping: index,
      entry: { kind: 'mapping', pointer: mapping.pointer, key: `${mapping.object}.${mapping.region}@${hex(mapping.base)}` },
    });
  }
  for (const container of containers) {
    const id = regionId(container.object, container.region);
    edges.push({
      id: `container:${id}`,
      kind: 'mapping',
      source: `space:${container.space}`,
      target: id,
      sourceHandle: 'out:map',
      targetHandle: 'in:map',
      label: hex(container.base),
      entry: { kind: 'mapping', pointer: container.pointer, key: `${id}@${hex(container.base)}` },
    });
  }
  // Regions not mapped anywhere yet: drag from an address space to one to map it.
  for (const object of board.objects) {
    for (const region of effectiveType(object.type)?.regions ?? []) {
      const id = regionId(object.path, region.name);
      if (nodes.some((n) => n.id === id) || board.memory.some((m) => m.object === object.path && m.region === region.name)) continue;
      if (board.memory.some((m) => m.alias?.object === object.path && m.alias.region === region.name)) continue;
      nodes.push({
        id,
        object: object.path,
        kind: 'unmapped',
        title: `${relative(object.path)}.${region.name}`,
        subtitle: `${region.kind} region · not mapped`,
        details: [],
        inputs: [{ id: 'in:map', label: '' }],
        outputs: [],
      });
    }
  }
  // Aliases: from the aliased region (if it is mapped too) to the alias.
  for (const { mapping, index } of order) {
    if (!mapping.alias) continue;
    const target = nodes.find((n) => n.id === regionId(mapping.alias!.object, mapping.alias!.region));
    const aliasId = aliasIds.get(index);
    if (target && aliasId) edges.push({ id: `alias:${index}`, kind: 'alias', source: target.id, target: aliasId, label: 'alias' });
  }
  return { view: 'memory', nodes: decorate(nodes, problems), edges };
}

/** Objects with IRQ ports, each port a handle (inputs left, outputs right); one edge per wire group (ranges, fan-out). */
export function irqView(board: ResolvedBoard, problems = new Map<string, BoardProblem[]>(), warnings: readonly BoardProblem[] = []): BoardView {
  const nodes: ViewNode[] = [];
  for (const object of board.objects) {
    const type = effectiveType(object.type);
    if (!type || type.irqs.length === 0) continue;
    const port = (direction: 'in' | 'out') =>
      type.irqs
        .filter((p) => p.direction === direction)
        .map((p) => {
          const n = irqLineCount(p, object.props);
          return { id: `${direction}:${p.name}`, label: n === 1 ? p.name : `${p.name}[${n}]`, doc: p.doc };
        });
    nodes.push({ id: object.path, object: object.path, kind: type.category, title: relative(object.path), subtitle: object.type, details: [], inputs: port('in'), outputs: port('out') });
  }
  const groups = new Map<string, { source: string; sourcePort: string; target: string; targetPort: string; from: number[]; to: number[]; wires: number[]; pointer: string; key: string }>();
  board.irqs.forEach((irq, wire) => {
    const key = `${irq.pointer}|${irq.source.object}.${irq.source.port}|${irq.target.object}.${irq.target.port}`;
    const group = groups.get(key) ?? { source: irq.source.object, sourcePort: irq.source.port, target: irq.target.object, targetPort: irq.target.port, from: [], to: [], wires: [], pointer: irq.pointer, key };
    group.from.push(irq.source.index);
    group.to.push(irq.target.index);
    group.wires.push(wire);
    groups.set(key, group);
  });
  const edges: ViewEdge[] = [];
  let n = 0;
  for (const group of groups.values()) {
    const sourceType = effectiveType(board.objects.find((o) => o.path === group.source)?.type ?? '');
    const targetType = effectiveType(board.objects.find((o) => o.path === group.target)?.type ?? '');
    const single = (type: typeof sourceType, port: string) => {
      const spec = type?.irqs.find((p) => p.name === port);
      return spec !== undefined && spec.count === 1;
    };
    const from = single(sourceType, group.sourcePort) ? group.sourcePort : `${group.sourcePort}[${range(group.from)}]`;
    const to = single(targetType, group.targetPort) ? group.targetPort : `${group.targetPort}[${range(group.to)}]`;
    const lineCount = (path: string, type: typeof sourceType, port: string) => {
      const spec = type?.irqs.find((p) => p.name === port);
      return spec ? irqLineCount(spec, board.objects.find((o) => o.path === path)?.props ?? {}) : 1;
    };
    const lines = {
      ...(lineCount(group.source, sourceType, group.sourcePort) > 1 && { source: range(group.from) }),
      ...(lineCount(group.target, targetType, group.targetPort) > 1 && { target: range(group.to) }),
    };
    const warning = /^\/irqs\/\d+$/.test(group.pointer) ? warnings.find((w) => w.pointer === group.pointer || w.pointer.startsWith(`${group.pointer}/`)) : undefined;
    edges.push({
      id: `irq:${n++}`,
      kind: 'irq',
      source: group.source,
      target: group.target,
      sourceHandle: `out:${group.sourcePort}`,
      targetHandle: `in:${group.targetPort}`,
      label: `${from} → ${to}`,
      lines,
      irqWires: group.wires,
      entry: { kind: 'irq', pointer: group.pointer, key: group.key },
      ...(warning && { warning: warning.message }),
    });
  }
  return { view: 'irq', nodes: decorate(nodes, problems, warningsByObject(board, warnings)), edges };
}

export const BOARD_RESET = 'board';

/** The system reset and every reset source, wired to the objects they reset. */
export function resetView(board: ResolvedBoard, problems = new Map<string, BoardProblem[]>()): BoardView {
  const nodes: ViewNode[] = [{ id: BOARD_RESET, kind: 'board', title: 'board reset', subtitle: 'system reset', details: [], inputs: [{ id: 'in:reset', label: 'request' }], outputs: [{ id: 'out:reset', label: 'reset' }] }];
  for (const object of board.objects) {
    const type = effectiveType(object.type);
    if (!type) continue;
    const inputs = type.resets.filter((r) => r.direction === 'in').map((r) => ({ id: `in:${r.name}`, label: r.name, doc: r.doc }));
    const outputs = type.resets.filter((r) => r.direction === 'out').map((r) => ({ id: `out:${r.name}`, label: r.name, doc: r.doc }));
    if (inputs.length === 0 && outputs.length === 0) continue;
    nodes.push({ id: object.path, object: object.path, kind: type.category, title: relative(object.path), subtitle: object.type, details: [], inputs, outputs });
  }
  const edges: ViewEdge[] = [];
  board.resets.forEach((reset, index) => {
    const dot = reset.from.lastIndexOf('.');
    const [source, sourceHandle] = reset.from === BOARD_RESET ? [BOARD_RESET, 'out:reset'] : [reset.from.slice(0, dot), `out:${reset.from.slice(dot + 1)}`];
    const entry: EdgeEntry = { kind: 'reset', pointer: reset.pointer, key: `${reset.from}->${reset.label}` };
    if (reset.to === BOARD_RESET) {
      edges.push({ id: `reset:${index}`, kind: 'reset', source, sourceHandle, target: BOARD_RESET, targetHandle: 'in:reset', label: '', entry });
    } else {
      reset.to.forEach((target, j) => {
        edges.push({ id: `reset:${index}:${j}`, kind: 'reset', source, sourceHandle, target, targetHandle: 'in:reset', label: reset.label.startsWith('domain:') ? reset.label : '', entry });
      });
    }
  });
  return { view: 'reset', nodes: decorate(nodes, problems), edges: edges.filter((e) => nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target)) };
}

/** The view's projection; wiring warnings show on the nodes of the Composition and IRQ views. */
export function boardView(
  view: ViewName,
  board: ResolvedBoard,
  options: {
    collapsed?: ReadonlySet<string>;
    problems?: readonly BoardProblem[];
    warnings?: readonly BoardProblem[];
    /** Memory map: only this address space. */
    space?: string;
    /** The address space each CPU's document names (declaredCpuSpaces). */
    cpuSpaces?: ReadonlyMap<string, string>;
  } = {},
): BoardView {
  const problems = problemsByObject(board, options.problems ?? []);
  const warned = warningsByObject(board, options.warnings ?? []);
  switch (view) {
    case 'composition':
      return withWarnings(compositionView(board, options.collapsed, problems, options.cpuSpaces), warned);
    case 'memory':
      return memoryView(board, problems, options.space, options.cpuSpaces);
    case 'irq':
      return irqView(board, problems, options.warnings ?? []);
    case 'reset':
      return resetView(board, problems);
  }
}

function withWarnings(view: BoardView, warnings: Map<string, BoardProblem[]>): BoardView {
  return { ...view, nodes: decorate(view.nodes, new Map(), warnings) };
}

export const layoutKey = (view: ViewName, id: string): string => `${view}:${id}`;
