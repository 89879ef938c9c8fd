// The four views of the board (Composition, Memory map, IRQ wiring, Reset wiring): each a React
// Flow drawing of a projection (../views.ts) of the one board document. ELK lays them out (ports in
// fixed order); positions the user drags to are stored in the document's "layout" member, and
// nodes ELK placed step aside for them (../placement.ts). Types dropped from the palette become
// objects at the nearest free spot; dragging between handles wires IRQs and resets, maps a region
// into an address space (a prompt proposes the address or line, ./ConnectPrompt.tsx), and refuses
// incompatible ends with a reason. Wires and mappings can be selected (click, or Tab and Enter)
// for the inspector and deleted with Delete. The view fits the board when first shown, when it is
// resized and when asked (the fit button), never below a readable zoom; edits keep the viewport.
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  ControlButton,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useRef, useState, type CSSProperties, type DragEvent, type KeyboardEvent } from 'react';
import { boardWarnings, effectiveType, ROOT_PATH, type BoardProblem, type ResolvedBoard } from '../../graph/index.ts';
import { notify } from '../notices.ts';
import { editDocument, select, selectEdge, toggleCollapsed } from '../designer.ts';
import { addObject, setLayout } from '../document-edit.ts';
import { placeLabels, SOURCE_END_PLACES, TARGET_END_PLACES, type LabelPlace, type LabelRequest, type Side } from '../edge-labels.ts';
import { nearestFreeSpot, separate, type Point, type Rect } from '../placement.ts';
import { connectionPlan } from '../wiring.ts';
import { parsedDocument, useBoardLab } from '../store.ts';
import { elk } from '../elk.ts';
import { readableViewport } from '../fit.ts';
import { BOARD_RESET, boardView, cpuClusters, declaredCpuSpaces, isHeterogeneous, layoutKey, relative, sameEntry, type BoardView, type ViewEdge, type ViewName, type ViewNode } from '../views.ts';
import { IrqActivityEdge, MappingActivityEdge } from './ActivityEdges.tsx';
import { ArchitectureLegend, MemoryViewChoice } from './CpuClusters.tsx';
import { applyPlan, ConnectPrompt, needsPrompt, type PromptPlan } from './ConnectPrompt.tsx';
import './wiring.css';

export const PALETTE_MIME = 'application/x-boardlab-type';

type ViewNodeData = ViewNode & { view: ViewName; selected: boolean } & Record<string, unknown>;
type ViewFlowNode = Node<ViewNodeData, 'view'>;

const NODE_WIDTH = 200;
/** The IRQ and reset views' nodes hold a name, a type and short port names: narrower, so three columns fit a pane at a readable zoom. */
const PORT_NODE_WIDTH = 150;
const nodeWidth = (view: ViewName) => (view === 'irq' || view === 'reset' ? PORT_NODE_WIDTH : NODE_WIDTH);
const PORT_ROW = 18;
/** A node's height as drawn (padding, title and type lines, 13 px per detail or problem line, port rows). */
const nodeHeight = (node: ViewNode) =>
  48 + 13 * node.details.length + PORT_ROW * Math.max(1, node.inputs.length, node.outputs.length) + (node.problems?.length ? 13 : 0) + (node.warnings?.length ? 13 : 0);
/** A node's ports (React Flow's handles), to tell whether a size measured before still holds its handles. */
const portsKey = (node: ViewNode) => [...node.inputs, ...node.outputs].map((port) => port.id).join(' ');
/** The view's own "fit view" button: everything in sight, as small as that takes (the user asked). */
const FIT = { padding: 0.08, maxZoom: 1 };
/** Nodes every board has in a view: sharing only these, two layouts show different boards. */
const FIXED_NODES = new Set([ROOT_PATH, 'space:system', BOARD_RESET]);

const ViewNodeCard = memo(function ViewNodeCard({ data }: NodeProps<ViewFlowNode>) {
  const rows = Math.max(data.inputs.length, data.outputs.length);
  const showLabels = data.view === 'irq' || data.view === 'reset';
  return (
    <div
      className={`board-node view-node ${nodeWidth(data.view) === PORT_NODE_WIDTH ? 'view-node--ports' : ''} board-node--${data.kind} ${data.architecture ? `arch--${data.architecture}` : ''} ${data.selected ? 'view-node--selected' : ''} ${data.problems ? 'view-node--error' : ''} ${data.warnings && !data.problems ? 'view-node--warning' : ''} ${data.overlap ? 'view-node--overlap' : ''}`}
      data-testid={`${data.view}-node-${data.title}`}
      data-object={data.object}
      data-architecture={data.architecture}
      title={[...(data.problems ?? []), ...(data.warnings ?? [])].join('\n') || undefined}
    >
      <div className="board-node__title">
        <span className="board-node__name">{data.title}</span>
        {data.collapsible && (
          <button
            type="button"
            className="view-node__toggle nodrag"
            data-testid={`collapse-${data.title}`}
            onClick={(event) => {
              event.stopPropagation();
              if (data.object) toggleCollapsed(data.object);
            }}
            title={data.collapsed ? 'Expand' : 'Collapse'}
            aria-label={`${data.collapsed ? 'Expand' : 'Collapse'} ${data.title}`}
          >
            {data.collapsed ? '▸' : '▾'}
          </button>
        )}
      </div>
      <div className="board-node__type">
        <span>{data.subtitle}</span>
      </div>
      {data.details.map((line) => (
        <div className="board-node__detail" key={line}>
          {line}
        </div>
      ))}
      {data.problems && (
        <div className="view-node__problem" data-testid="node-problem">
          ✖ {data.problems[0]}
        </div>
      )}
      {data.warnings && (
        <div className="view-node__warning" data-testid="node-warning">
          ⚠ {data.warnings[0]}
        </div>
      )}
      {Array.from({ length: rows }, (_, row) => (
        <div className="view-node__ports" key={row} style={{ height: PORT_ROW }}>
          <span className="view-node__port view-node__port--in">{showLabels ? data.inputs[row]?.label : ''}</span>
          <span className="view-node__port view-node__port--out">{showLabels ? data.outputs[row]?.label : ''}</span>
        </div>
      ))}
      {data.inputs.map((port, row) => (
        <Handle
          key={port.id}
          id={port.id}
          type="target"
          position={Position.Left}
          title={port.doc ?? port.label}
          data-testid={`handle-${data.title}-${port.id}`}
          style={handleStyle(data, row)}
        />
      ))}
      {data.outputs.map((port, row) => (
        <Handle
          key={port.id}
          id={port.id}
          type="source"
          position={Position.Right}
          title={port.doc ?? port.label}
          data-testid={`handle-${data.title}-${port.id}`}
          style={handleStyle(data, row)}
        />
      ))}
    </div>
  );
});

/** Where a handle sits: beside its labelled port row (counted from the card's bottom), or mid-height when ports have no labels. */
function handleStyle(node: ViewNode & { view: ViewName }, row: number): CSSProperties {
  if (node.view !== 'irq' && node.view !== 'reset') return {};
  const rows = Math.max(node.inputs.length, node.outputs.length);
  return { top: 'auto', bottom: (rows - row - 1) * PORT_ROW + PORT_ROW / 2 + 8 - 4 };
}

const nodeTypes = { view: ViewNodeCard };
/** IRQ wires light while their line is high; mappings pulse while the CPU touches them (../activity.ts). */
const edgeTypes = { irqActivity: IrqActivityEdge, mappingActivity: MappingActivityEdge };

type Positions = Map<string, { x: number; y: number }>;

/** The IRQ view's column of a node: 0 only outputs (a UART), 1 both (a PLIC), 2 only inputs (a hart). */
function irqColumn(node: ViewNode): number {
  if (node.inputs.length === 0) return 0;
  return node.outputs.length === 0 ? 2 : 1;
}

async function elkLayout(view: BoardView): Promise<Positions> {
  const ids = new Set(view.nodes.map((n) => n.id));
  const result = await (await elk()).layout({
    id: 'root',
    layoutOptions: {
      // The composition view is a tree: mrtree lays out hundreds of objects at once where layered takes seconds.
      'elk.algorithm': view.view === 'composition' ? 'mrtree' : 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // IRQ view: sources left, controllers in the middle, what is interrupted (harts, LEDs) right,
      // even before anything is wired, so the wires a newcomer draws run left to right.
      ...(view.view === 'irq' && { 'elk.partitioning.activate': 'true', 'elk.separateConnectedComponents': 'false' }),
    },
    children: view.nodes.map((node) => ({
      id: node.id,
      width: nodeWidth(view.view),
      height: nodeHeight(node),
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER', ...(view.view === 'irq' && { 'elk.partitioning.partition': String(irqColumn(node)) }) },
      ports: [
        ...node.inputs.map((port, i) => ({ id: `${node.id}#${port.id}`, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(i) } })),
        ...node.outputs.map((port, i) => ({ id: `${node.id}#${port.id}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
      ],
    })),
    edges: view.edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({
        id: edge.id,
        sources: [edge.sourceHandle ? `${edge.source}#${edge.sourceHandle}` : edge.source],
        targets: [edge.targetHandle ? `${edge.target}#${edge.targetHandle}` : edge.target],
      })),
  });
  return new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}

function gridLayout(view: BoardView): Positions {
  return new Map(view.nodes.map((node, i) => [node.id, { x: (i % 4) * (nodeWidth(view.view) + 60), y: Math.floor(i / 4) * 160 }]));
}

export interface BoardViewProps {
  view: ViewName;
  board: ResolvedBoard;
  layout: Readonly<Record<string, { x: number; y: number }>>;
  problems: readonly BoardProblem[];
}

/** Size of a node before it is drawn (ELK and the overlap checks use it). */
function estimatedSize(view: ViewName, node: ViewNode): { width: number; height: number } {
  return { width: nodeWidth(view), height: nodeHeight(node) };
}

/** Size of the node an object of `type` will get in `view`, before it exists. */
function estimatedTypeSize(view: ViewName, type: string): { width: number; height: number } {
  const spec = effectiveType(type);
  const ports = (list: ReadonlyArray<{ direction: 'in' | 'out' }>) => Math.max(list.filter((p) => p.direction === 'in').length, list.filter((p) => p.direction === 'out').length);
  const rows = view === 'irq' ? ports(spec?.irqs ?? []) : view === 'reset' ? ports(spec?.resets ?? []) : 0;
  // A new object has no details yet (an unmapped region none either), so only its port rows count.
  return { width: nodeWidth(view), height: 48 + PORT_ROW * Math.max(1, rows) };
}

/** Where an object dropped or added in a view shows: its node, or in the memory map its first region's. */
function nodeIdOf(view: ViewName, name: string, type: string): string | undefined {
  if (view !== 'memory') return `${ROOT_PATH}/${name}`;
  const region = effectiveType(type)?.regions[0]?.name;
  return region === undefined ? undefined : `${ROOT_PATH}/${name}.${region}`;
}

/** The side a handle sits on (React Flow's Position), for label geometry. */
function side(position: Position | undefined): Side {
  return position === Position.Left ? 'left' : position === Position.Top ? 'top' : position === Position.Bottom ? 'bottom' : 'right';
}

function edgeAriaLabel(edge: ViewEdge, view: BoardView): string {
  const title = (id: string) => view.nodes.find((n) => n.id === id)?.title ?? relative(id);
  switch (edge.kind) {
    case 'irq': {
      const [from, to] = edge.label.split(' → ');
      return `IRQ wire ${title(edge.source)}.${from} → ${title(edge.target)}.${to}`;
    }
    case 'mapping':
      return `mapping of ${title(edge.target)} at ${edge.label}`;
    case 'reset':
      return `reset wire from ${title(edge.source)} to ${title(edge.target)}`;
    default:
      return `${title(edge.source)} to ${title(edge.target)}`;
  }
}

/** Has React Flow measured the node (its drawn size)? A node handed over afresh is measured a frame later. */
const isMeasured = (node: Node) => node.measured?.width !== undefined && node.measured.height !== undefined;

/** The view that asks for positions of objects added with the palette's "+" (the one shown). */
let placeAdded: ((view: ViewName, type: string, alsoTaken: readonly Rect[]) => Point | undefined) | null = null;
/** The view shown, while it is still laying out or fitting its board (it has no place in sight to offer yet). */
let busyView: ViewName | null = null;
/** Types whose "+" was pressed while their view was busy: added once it has fitted the board, at free spots in sight. */
let waitingAdds: { type: string; view: ViewName }[] = [];

function ViewFlow({ view, board, layout, problems }: BoardViewProps) {
  const collapsed = useBoardLab((s) => s.collapsed);
  const selection = useBoardLab((s) => s.selection);
  const selectedEdge = useBoardLab((s) => s.selectedEdge);
  // A different board (not an edit of this one) is fitted to the view again.
  const boardKey = useBoardLab((s) => s.board?.source.replace(/ \(edited\)$/, '') ?? '');
  const collapsedSet = useMemo(() => new Set(collapsed), [collapsed]);
  const warnings = useMemo(() => boardWarnings(board), [board]);
  // Memory map of a heterogeneous board: every address space, or the one a chosen CPU sees.
  const [memorySpace, setMemorySpace] = useState('');
  const documentText = useBoardLab((s) => s.documentText);
  const cpuSpaces = useMemo(() => declaredCpuSpaces(parsedDocument({ documentText })), [documentText]);
  const space = view === 'memory' && memorySpace !== '' && cpuClusters(board, cpuSpaces).some((c) => c.space === memorySpace) ? memorySpace : undefined;
  const projection = useMemo(() => boardView(view, board, { collapsed: collapsedSet, problems, warnings, space, cpuSpaces }), [view, board, collapsedSet, problems, warnings, space, cpuSpaces]);
  // ELK's positions for a projection, with the board they are of (`key`): a layout arrives some time
  // after the board changed, and what is kept or fitted must go by the board the layout shows.
  const [auto, setAuto] = useState<{ projection: BoardView; positions: Positions; key: string } | null>(null);
  const flow = useReactFlow<ViewFlowNode>();
  const host = useRef<HTMLDivElement>(null);
  // A fit the view owes: the first show, another board, a resize that cut the board off.
  const fitPending = useRef(false);
  // The view shows a board afresh (first show, another board, another CPU's memory) and has not fitted
  // it yet: where things will be in sight is not known, so the view says it is busy (aria-busy) and
  // the palette's "+" waits (below).
  const [awaitingFit, setAwaitingFit] = useState(true);
  /**
   * Fits the board into sight by itself, never below a readable zoom (../fit.ts); nodes React Flow has
   * not measured yet count as points, which would cut off the right and bottom ones, so until every
   * node is measured the fit stays pending (the effect below makes it once they are).
   */
  const fitReadable = () => {
    const element = host.current;
    const all = flow.getNodes();
    if (!element || all.length === 0) return;
    if (!all.every(isMeasured)) {
      fitPending.current = true;
      return;
    }
    fitPending.current = false;
    void flow.setViewport(readableViewport(flow.getNodesBounds(all), element.clientWidth, element.clientHeight));
    setAwaitingFit(false);
  };
  const pointer = useRef<Point>({ x: 0, y: 0 });
  const [pending, setPending] = useState<{ plan: PromptPlan; at: Point } | null>(null);

  const boardKeyNow = useRef(boardKey);
  boardKeyNow.current = boardKey;
  useEffect(() => {
    let cancelled = false;
    const key = boardKeyNow.current; // the board this projection is of (same render)
    elkLayout(projection)
      .catch(() => gridLayout(projection))
      .then((positions) => {
        if (!cancelled) setAuto({ projection, positions, key });
      });
    return () => {
      cancelled = true;
    };
  }, [projection]);

  // Positions: where the user put a node (the document's layout); else where it already was (an
  // edit never moves what is shown: wiring does not shuffle the view); else ELK's, stepping aside
  // so that no node covers another. "Arrange" (in the controls) forgets the second kind.
  const shownAt = useRef<{ key: string; positions: ReadonlyMap<string, Point> }>({ key: '', positions: new Map() });
  const [arrangement, setArrangement] = useState(0);
  const positions = useMemo(() => {
    if (!auto) return null;
    const shown = shownAt.current.key === `${auto.key}#${arrangement}` ? shownAt.current.positions : new Map<string, Point>();
    // The user's places first (they never move), then the places nodes were shown at (such a node
    // moves only if it grew over another), then ELK's for new nodes.
    const placed = auto.projection.nodes.map((node) => {
      const pinned = layout[layoutKey(view, node.id)];
      const kept = pinned ?? shown.get(node.id);
      return { id: node.id, ...(kept ?? auto.positions.get(node.id) ?? { x: 0, y: 0 }), ...estimatedSize(view, node), pinned: pinned !== undefined, kept: kept !== undefined };
    });
    const result = separate([...placed.filter((n) => n.kept), ...placed.filter((n) => !n.kept)]);
    shownAt.current = { key: `${auto.key}#${arrangement}`, positions: result };
    return result;
  }, [auto, layout, view, arrangement]);

  // React Flow draws a node hidden until it has measured it, and measures it again whenever the node
  // object it is given lacks `measured`. So the size it measured is kept in our nodes (the
  // 'dimensions' changes below) and carried over when the nodes are made again for the same board
  // (a selection, an edit, a new layout). Made afresh without it, every node of the view vanished for
  // a frame at each click, and a measurement that raced with the next rebuild was lost: the node
  // stayed hidden for good (an invisible RAM node in CI, e2e/firmware-with-board.spec.ts).
  const [nodes, setNodes] = useState<ViewFlowNode[]>([]);
  const nodesKey = useRef('');
  useEffect(() => {
    if (!auto || !positions) return;
    const sameBoard = nodesKey.current === auto.key;
    nodesKey.current = auto.key;
    setNodes((shown) => {
      // A node keeps its measured size while its ports are the same (its handles are where they were
      // measured); a different board's node of the same name is measured afresh.
      const before = new Map(sameBoard ? shown.map((n) => [n.id, n] as const) : []);
      return auto.projection.nodes.map((node) => {
        const previous = before.get(node.id);
        const measured = previous && portsKey(previous.data) === portsKey(node) ? previous.measured : undefined;
        return {
          id: node.id,
          type: 'view',
          position: positions.get(node.id) ?? { x: 0, y: 0 },
          data: { ...node, view, selected: node.object !== undefined && node.object === selection },
          selected: node.object !== undefined && node.object === selection,
          ariaLabel: `${node.title}, ${node.subtitle}${node.problems ? `, ${node.problems.length} problem${node.problems.length === 1 ? '' : 's'}` : ''}${node.warnings ? `, ${node.warnings.length} warning${node.warnings.length === 1 ? '' : 's'}` : ''}`,
          ...(measured ? { measured } : {}),
        };
      });
    });
  }, [auto, positions, selection, view]);

  // IRQ labels: once the nodes are drawn (handles measured), each label finds a place on its wire
  // that covers no other label and no node.
  const [labelPlaces, setLabelPlaces] = useState<ReadonlyMap<string, LabelPlace>>(new Map());
  const drawn = useNodesInitialized();
  useEffect(() => {
    if (view !== 'irq' || !auto || !drawn) return;
    const frame = requestAnimationFrame(() => {
      const handlePoint = (nodeId: string, handleId: string | undefined): { point: Point; side: Side } | undefined => {
        const internal = flow.getInternalNode(nodeId);
        const bounds = internal?.internals.handleBounds;
        const handle = [...(bounds?.source ?? []), ...(bounds?.target ?? [])].find((h) => h.id === handleId);
        if (!internal || !handle) return undefined;
        const x = internal.internals.positionAbsolute.x + handle.x;
        const y = internal.internals.positionAbsolute.y + handle.y;
        const s = side(handle.position);
        return { point: { x: s === 'right' ? x + handle.width : s === 'left' ? x : x + handle.width / 2, y: s === 'bottom' ? y + handle.height : s === 'top' ? y : y + handle.height / 2 }, side: s };
      };
      const requests: LabelRequest[] = [];
      for (const edge of auto.projection.edges) {
        const source = handlePoint(edge.source, edge.sourceHandle);
        const target = handlePoint(edge.target, edge.targetHandle);
        if (!source || !target) continue;
        const geometry = { source: source.point, sourceSide: source.side, target: target.point, targetSide: target.side };
        if (edge.lines?.source) requests.push({ id: `${edge.id}:source`, edge: geometry, text: edge.lines.source, places: SOURCE_END_PLACES });
        if (edge.lines?.target) requests.push({ id: `${edge.id}:target`, edge: geometry, text: edge.lines.target, places: TARGET_END_PLACES });
      }
      const obstacles: Rect[] = auto.projection.nodes.flatMap((node) => {
        const internal = flow.getInternalNode(node.id);
        return internal ? [{ ...internal.internals.positionAbsolute, width: internal.measured.width ?? nodeWidth(view), height: internal.measured.height ?? nodeHeight(node) }] : [];
      });
      setLabelPlaces(placeLabels(requests, obstacles));
    });
    return () => cancelAnimationFrame(frame);
  }, [view, auto, positions, nodes.length, drawn, flow]);

  const edges: Edge[] = useMemo(
    () =>
      (auto?.projection.edges ?? []).map((edge) => {
        const name = edgeAriaLabel(edge, auto!.projection);
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          sourceHandle: edge.sourceHandle,
          targetHandle: edge.targetHandle,
          // Mappings need no label (the region's card shows its address range), nor IRQ wires: their
          // ports are named on the nodes, and the line numbers show beside each end (edge-labels.ts).
          label: edge.kind === 'mapping' || edge.kind === 'irq' ? undefined : edge.label || undefined,
          className: `board-edge board-edge--${edge.kind} ${edge.warning ? 'board-edge--warning' : ''}`,
          type: edge.irqWires ? 'irqActivity' : edge.mapping !== undefined ? 'mappingActivity' : edge.kind === 'tree' ? 'smoothstep' : 'default',
          markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
          labelBgPadding: [5, 2] as [number, number],
          labelBgBorderRadius: 4,
          selectable: edge.entry !== undefined,
          focusable: edge.entry !== undefined,
          selected: edge.entry !== undefined && sameEntry(edge.entry, selectedEdge),
          ariaLabel: name,
          data: {
            testid: edge.id,
            irqWires: edge.irqWires,
            mapping: edge.mapping,
            entry: edge.entry,
            title: edge.warning ? `${name}\n⚠ ${edge.warning}` : name,
            lines: edge.lines && { ...edge.lines, sourceAt: labelPlaces.get(`${edge.id}:source`), targetAt: labelPlaces.get(`${edge.id}:target`) },
          },
        };
      }),
    [auto, selectedEdge, labelPlaces],
  );

  // Fit when the view is first shown and when another board is opened (once its nodes are drawn,
  // so the fit sees their real sizes); edits keep the viewport.
  const fitted = useRef<{ key: string; ids: Set<string> } | null>(null);
  // Another CPU's view of memory (or all of them again): laid out afresh and fitted, as another board is.
  const shownSpace = useRef(space);
  useEffect(() => {
    if (shownSpace.current === space) return;
    shownSpace.current = space;
    setArrangement((n) => n + 1);
    fitPending.current = true;
    setAwaitingFit(true);
  }, [space]);
  useEffect(() => {
    if (!auto) return;
    const ids = new Set(auto.projection.nodes.map((n) => n.id));
    const before = fitted.current;
    fitted.current = { key: auto.key, ids };
    // The same board, edited: it still shows a node it showed, or it showed nothing of its own yet.
    const edited = before !== null && before.key === auto.key && ([...ids].some((id) => before.ids.has(id) && !FIXED_NODES.has(id)) || [...before.ids].every((id) => FIXED_NODES.has(id)));
    if (edited) return;
    fitPending.current = true;
    setAwaitingFit(true);
  }, [auto]);
  // `drawn` is what React Flow's store said at this render: when `nodes` has just changed, the store
  // already holds the new, unmeasured ones, so fitReadable checks the sizes themselves.
  useEffect(() => {
    if (fitPending.current && drawn && nodes.length > 0) fitReadable();
  }, [drawn, nodes, flow]);

  // ...and when the view changes size (the window, or a panel beside it) so that the board no
  // longer fits in sight, or did not before; a board still wholly in sight keeps its viewport.
  const shown = auto !== null;
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { width: element.clientWidth, height: element.clientHeight };
    const inSight = (size: { width: number; height: number }) => {
      const all = flow.getNodes();
      if (all.length === 0) return true;
      const bounds = flow.getNodesBounds(all);
      const { x, y, zoom } = flow.getViewport();
      const left = bounds.x * zoom + x;
      const top = bounds.y * zoom + y;
      return left >= 0 && top >= 0 && left + bounds.width * zoom <= size.width && top + bounds.height * zoom <= size.height;
    };
    const observer = new ResizeObserver(() => {
      const size = { width: element.clientWidth, height: element.clientHeight };
      if (size.width === last.width && size.height === last.height) return;
      const fitted = inSight(last) && inSight(size);
      last = size;
      clearTimeout(timer);
      if (!fitted) timer = setTimeout(fitReadable, 60);
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [shown, flow]);

  /** The nodes shown now, as rectangles in flow coordinates. */
  const occupied = (): Rect[] =>
    nodes.map((node) => ({ ...node.position, width: node.measured?.width ?? nodeWidth(view), height: node.measured?.height ?? nodeHeight(node.data) }));

  /** The part of the view in sight, in flow coordinates (a new node should land there). */
  const inSightRect = (): Rect | undefined => {
    const box = host.current?.getBoundingClientRect();
    if (!box) return undefined;
    // The banner over the top of the graph (a draft with problems) hides what is under it.
    const banner = host.current?.parentElement?.querySelector('.draft-banner')?.getBoundingClientRect();
    const topLeft = flow.screenToFlowPosition({ x: box.left, y: Math.max(box.top, banner?.bottom ?? box.top) });
    const bottomRight = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
    return { ...topLeft, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
  };

  // The palette's "+" puts the object at the free spot nearest the middle of what is in sight; pressed
  // while the view is still laying out or fitting, it waits for the fit (before it, "in sight" is not
  // where the board is going to be shown: the object would land out of sight).
  const ready = auto !== null && !(awaitingFit && auto.projection.nodes.length > 0);
  useEffect(() => {
    if (ready) return;
    busyView = view;
    return () => {
      if (busyView === view) busyView = null;
    };
  }, [ready, view]);
  // The view goes (another tab) before it could place them: they are added where the layout puts them.
  useEffect(() => () => addWaiting((add) => add.view === view, () => undefined), [view]);
  useEffect(() => {
    if (!ready) return;
    const place = (target: ViewName, type: string, alsoTaken: readonly Rect[]): Point | undefined => {
      const element = host.current;
      if (target !== view || !element) return undefined;
      const box = element.getBoundingClientRect();
      const size = estimatedTypeSize(view, type);
      const middle = flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
      return nearestFreeSpot({ x: middle.x - size.width / 2, y: middle.y - size.height / 2 }, size, [...occupied(), ...alsoTaken], 16, inSightRect());
    };
    placeAdded = place;
    // What waited for the fit, each at its own free spot (none is drawn yet to keep the next away).
    const taken: Rect[] = [];
    addWaiting(
      (add) => add.view === view,
      (type) => {
        const at = place(view, type, taken);
        if (at) taken.push({ ...at, ...estimatedTypeSize(view, type) });
        return at;
      },
    );
    return () => {
      if (placeAdded === place) placeAdded = null;
    };
  });

  const connect = (connection: Connection) => {
    const plan = connectionPlan(view, board, connection);
    if (!plan.ok) {
      notify(`cannot connect: ${plan.reason}`);
      return;
    }
    if (needsPrompt(plan)) {
      const box = host.current?.getBoundingClientRect();
      const at = box ? { x: Math.max(8, Math.min(pointer.current.x - box.left + 12, box.width - 290)), y: Math.max(8, Math.min(pointer.current.y - box.top + 12, box.height - 190)) } : { x: 20, y: 20 };
      setPending({ plan, at });
      return;
    }
    void applyPlan(plan);
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (!type) return;
    event.preventDefault();
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    createObject(type, view, nearestFreeSpot(position, estimatedTypeSize(view, type), occupied(), 16, inSightRect()));
  };

  // Arrow keys move the keyboard focus between the wires (and between nodes that are not selected:
  // a selected node moves with the arrows, as React Flow does).
  const roveFocus = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    const target = event.target as Element;
    if (step === 0 || !host.current) return;
    const kind = target.classList.contains('react-flow__edge') ? '.react-flow__edge[tabindex]' : target.classList.contains('react-flow__node') && !target.classList.contains('selected') ? '.react-flow__node[tabindex]' : null;
    if (kind === null) return;
    const all = [...host.current.querySelectorAll<HTMLElement | SVGElement>(kind)];
    const next = all[(all.indexOf(target as HTMLElement) + step + all.length) % all.length];
    event.preventDefault();
    next?.focus();
  };

  if (!auto) return <div className="graph-placeholder" aria-busy="true">laying out {board.name}…</div>;
  // The memory map of a heterogeneous board: whose view of memory, in a strip under the canvas
  // (over it, it would cover nodes and the draft banner would cover it).
  const choice = view === 'memory' && isHeterogeneous(cpuClusters(board, cpuSpaces)) ? <MemoryViewChoice board={board} cpuSpaces={cpuSpaces} space={space ?? ''} onChange={setMemorySpace} /> : null;
  return (
    <>
    {choice}
    <div
      className={`graph-flow ${choice ? 'graph-flow--above-strip' : ''}`}
      ref={host}
      data-testid={`view-${view}`}
      aria-busy={!ready}
      onDragOver={(event) => event.preventDefault()}
      onDrop={drop}
      onPointerMoveCapture={(event) => {
        pointer.current = { x: event.clientX, y: event.clientY };
      }}
      onPointerUpCapture={(event) => {
        pointer.current = { x: event.clientX, y: event.clientY };
      }}
      onKeyDown={roveFocus}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={(changes) => {
          // Moves are local (a drag's end is stored in the document); a selection (click, or Enter on a
          // focused node) goes to the store.
          const chosen = changes.find((c) => c.type === 'select' && c.selected);
          if (chosen && chosen.type === 'select') {
            const object = nodes.find((n) => n.id === chosen.id)?.data.object;
            if (object) select(object);
          }
          // Moves, and the sizes React Flow measured (kept so that it need not measure again, above).
          const moves = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
          if (moves.length === 0) return;
          setNodes((current) => applyNodeChanges(moves, current));
        }}
        onEdgesChange={(changes) => {
          // A wire or mapping selected by click, or by Enter / Space on a focused one.
          for (const change of changes) {
            if (change.type !== 'select' || !change.selected) continue;
            const entry = auto.projection.edges.find((e) => e.id === change.id)?.entry;
            if (entry) selectEdge(entry);
          }
        }}
        onNodeDragStop={(_, node) => void editDocument((document) => setLayout(document, layoutKey(view, node.id), node.position))}
        onNodeClick={(_, node) => select(node.data.object ?? null)}
        onPaneClick={() => {
          setPending(null);
          select(null);
        }}
        onConnect={connect}
        connectionMode={ConnectionMode.Loose}
        colorMode="dark"
        minZoom={0.1}
        maxZoom={1.6}
        deleteKeyCode={null}
        onlyRenderVisibleElements
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} fitViewOptions={FIT}>
          <ControlButton
            onClick={() => {
              setArrangement((n) => n + 1);
              setTimeout(fitReadable, 60);
            }}
            title="Arrange: lay the view out again (nodes you placed stay)"
            aria-label="Arrange the view"
            data-testid="arrange-view"
          >
            ⇆
          </ControlButton>
        </Controls>
      </ReactFlow>
      {view !== 'reset' && <ArchitectureLegend board={board} cpuSpaces={cpuSpaces} />}
      {pending && <ConnectPrompt key={`${pending.at.x},${pending.at.y}`} plan={pending.plan} board={board} at={pending.at} onDone={() => setPending(null)} />}
    </div>
    </>
  );
}

/** Adds the waiting objects that `which` picks, each at the position `at` gives (undefined: where the layout puts it). */
function addWaiting(which: (add: { type: string; view: ViewName }) => boolean, at: (type: string) => Point | undefined): void {
  const now = waitingAdds.filter(which);
  waitingAdds = waitingAdds.filter((add) => !which(add));
  for (const add of now) addObjectAt(add.type, add.view, at(add.type));
}

/** Creates an object of `type` (from the palette), placed at `position` in `view` (or at a free spot in sight). */
export function createObject(type: string, view: ViewName | null, position?: { x: number; y: number }): void {
  if (view !== null && position === undefined && busyView === view) {
    waitingAdds.push({ type, view });
    return;
  }
  addObjectAt(type, view, position ?? (view ? placeAdded?.(view, type, []) : undefined));
}

function addObjectAt(type: string, view: ViewName | null, at: Point | undefined): void {
  const spec = effectiveType(type);
  const base = spec?.category === 'cpu' ? 'cpu0' : spec?.category === 'serial' ? 'uart0' : type === 'sifive-test' ? 'test' : type.split('-')[0];
  let name = '';
  void editDocument((document) => {
    const taken = useBoardLab.getState().board?.resolved.objects.map((o) => o.name) ?? [];
    const result = addObject({ ...document, objects: { ...Object.fromEntries(taken.map((t) => [t, null])), ...document.objects } }, type, base);
    name = result.name;
    let next = { ...document, objects: { ...document.objects, [name]: result.document.objects[name]! } };
    const node = view ? nodeIdOf(view, name, type) : undefined;
    if (view && at && node) next = setLayout(next, layoutKey(view, node), at);
    return next;
  }).then(() => {
    if (name) select(`${ROOT_PATH}/${name}`);
  });
}

export function BoardViews(props: BoardViewProps) {
  return (
    <ReactFlowProvider key={props.view}>
      <ViewFlow {...props} />
    </ReactFlowProvider>
  );
}
