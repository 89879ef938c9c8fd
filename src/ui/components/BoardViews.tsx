// The four views of the board (Composition, Memory map, IRQ wiring, Reset wiring): each a React
// Flow drawing of a projection (../views.ts) of the one board document. ELK lays them out (ports in
// fixed order); positions the user drags to are stored in the document's "layout" member. Types
// dropped from the palette become objects; dragging between handles wires IRQs and resets, maps a
// region into an address space, and refuses incompatible ends with a reason.
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useState, type CSSProperties, type DragEvent } from 'react';
import { effectiveType, type BoardProblem, type ResolvedBoard } from '../../graph/index.ts';
import { editDocument, notify, select, toggleCollapsed } from '../controller.ts';
import { addIrqWire, addMapping, addObject, referenceOf, setLayout } from '../document-edit.ts';
import { connectionPlan } from '../wiring.ts';
import { useBoardLab } from '../store.ts';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { boardView, layoutKey, type BoardView, type ViewName, type ViewNode } from '../views.ts';
import { IrqActivityEdge, MappingActivityEdge } from './ActivityEdges.tsx';

export const PALETTE_MIME = 'application/x-boardlab-type';

type ViewNodeData = ViewNode & { view: ViewName; selected: boolean } & Record<string, unknown>;
type ViewFlowNode = Node<ViewNodeData, 'view'>;

const NODE_WIDTH = 200;
const PORT_ROW = 18;
const nodeHeight = (node: ViewNode) => 50 + 16 * node.details.length + PORT_ROW * Math.max(node.inputs.length, node.outputs.length) + (node.problems?.length ? 18 : 0);

const ViewNodeCard = memo(function ViewNodeCard({ data }: NodeProps<ViewFlowNode>) {
  const rows = Math.max(data.inputs.length, data.outputs.length);
  const showLabels = data.view === 'irq' || data.view === 'reset';
  return (
    <div
      className={`board-node view-node board-node--${data.kind} ${data.selected ? 'view-node--selected' : ''} ${data.problems ? 'view-node--error' : ''} ${data.overlap ? 'view-node--overlap' : ''}`}
      data-testid={`${data.view}-node-${data.title}`}
      data-object={data.object}
      title={data.problems?.join('\n')}
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

// ELK runs in its own worker, so laying out hundreds of objects never blocks the page.
let elkInstance: Promise<{ layout: (graph: ElkNode) => Promise<ElkNode> }> | null = null;

function elk_(): Promise<{ layout: (graph: ElkNode) => Promise<ElkNode> }> {
  elkInstance ??= Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(([api, worker]) => {
    const ELK = api.default;
    return new ELK({ workerUrl: worker.default });
  });
  return elkInstance;
}

async function elkLayout(view: BoardView): Promise<Positions> {
  const elk = await elk_();
  const ids = new Set(view.nodes.map((n) => n.id));
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      // The composition view is a tree: mrtree lays out hundreds of objects at once where layered takes seconds.
      'elk.algorithm': view.view === 'composition' ? 'mrtree' : 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: view.nodes.map((node) => ({
      id: node.id,
      width: NODE_WIDTH,
      height: nodeHeight(node),
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
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
  return new Map(view.nodes.map((node, i) => [node.id, { x: (i % 4) * (NODE_WIDTH + 60), y: Math.floor(i / 4) * 160 }]));
}

export interface BoardViewProps {
  view: ViewName;
  board: ResolvedBoard;
  layout: Readonly<Record<string, { x: number; y: number }>>;
  problems: readonly BoardProblem[];
}

function ViewFlow({ view, board, layout, problems }: BoardViewProps) {
  const collapsed = useBoardLab((s) => s.collapsed);
  const selection = useBoardLab((s) => s.selection);
  const collapsedSet = useMemo(() => new Set(collapsed), [collapsed]);
  const projection = useMemo(() => boardView(view, board, { collapsed: collapsedSet, problems }), [view, board, collapsedSet, problems]);
  const [auto, setAuto] = useState<{ projection: BoardView; positions: Positions } | null>(null);
  const flow = useReactFlow<ViewFlowNode>();

  useEffect(() => {
    let cancelled = false;
    elkLayout(projection)
      .catch(() => gridLayout(projection))
      .then((positions) => {
        if (!cancelled) setAuto({ projection, positions });
      });
    return () => {
      cancelled = true;
    };
  }, [projection]);

  const [nodes, setNodes] = useState<ViewFlowNode[]>([]);
  useEffect(() => {
    if (!auto) return;
    setNodes(
      auto.projection.nodes.map((node) => ({
        id: node.id,
        type: 'view',
        position: layout[layoutKey(view, node.id)] ?? auto.positions.get(node.id) ?? { x: 0, y: 0 },
        data: { ...node, view, selected: node.object !== undefined && node.object === selection },
        selected: node.object !== undefined && node.object === selection,
      })),
    );
  }, [auto, layout, selection, view]);

  const edges: Edge[] = useMemo(
    () =>
      (auto?.projection.edges ?? []).map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        sourceHandle: edge.sourceHandle,
        targetHandle: edge.targetHandle,
        // Mappings need no label: the region's card shows its address range.
        label: edge.kind === 'mapping' ? undefined : edge.label || undefined,
        className: `board-edge board-edge--${edge.kind}`,
        type: edge.irqWires ? 'irqActivity' : edge.mapping !== undefined ? 'mappingActivity' : edge.kind === 'tree' ? 'smoothstep' : 'default',
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
        labelBgPadding: [5, 2] as [number, number],
        labelBgBorderRadius: 4,
        data: { testid: edge.id, irqWires: edge.irqWires, mapping: edge.mapping },
      })),
    [auto],
  );

  // Fit the view once per new layout of the projection.
  useEffect(() => {
    if (!auto) return;
    const timer = setTimeout(() => void flow.fitView({ padding: 0.12 }), 30);
    return () => clearTimeout(timer);
  }, [auto, flow]);

  const connect = (connection: Connection) => {
    const plan = connectionPlan(view, board, connection);
    if (!plan.ok) {
      notify(`cannot connect: ${plan.reason}`);
      return;
    }
    void editDocument((document) => {
      switch (plan.kind) {
        case 'irq':
          return addIrqWire(document, plan.from, plan.to);
        case 'reset':
          return { ...document, resets: [...(document.resets ?? []), { from: plan.from, to: plan.to }] };
        case 'map':
          return addMapping(document, plan.region, plan.at);
      }
    });
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (!type) return;
    event.preventDefault();
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    createObject(type, view, position);
  };

  if (!auto) return <div className="graph-placeholder">laying out {board.name}…</div>;
  return (
    <div className="graph-flow" data-testid={`view-${view}`} onDragOver={(event) => event.preventDefault()} onDrop={drop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={(changes) => {
          // Only moves are local; selection and removal go through the store and the document.
          const moves = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
          if (moves.length === 0) return;
          setNodes((current) =>
            current.map((node) => {
              const move = moves.find((c) => c.id === node.id);
              return move && move.type === 'position' && move.position ? { ...node, position: move.position } : node;
            }),
          );
        }}
        onNodeDragStop={(_, node) => void editDocument((document) => setLayout(document, layoutKey(view, node.id), node.position))}
        onNodeClick={(_, node) => select(node.data.object ?? null)}
        onPaneClick={() => select(null)}
        onConnect={connect}
        connectionMode={ConnectionMode.Loose}
        colorMode="dark"
        minZoom={0.1}
        maxZoom={1.6}
        deleteKeyCode={null}
        onlyRenderVisibleElements
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** Creates an object of `type` (from the palette), placed at `position` in `view` when given. */
export function createObject(type: string, view: ViewName | null, position?: { x: number; y: number }): void {
  const spec = effectiveType(type);
  const base = spec?.category === 'cpu' ? 'cpu0' : spec?.category === 'serial' ? 'uart0' : type === 'sifive-test' ? 'test' : type.split('-')[0];
  let name = '';
  void editDocument((document) => {
    const taken = useBoardLab.getState().board?.resolved.objects.map((o) => o.name) ?? [];
    const result = addObject({ ...document, objects: { ...Object.fromEntries(taken.map((t) => [t, null])), ...document.objects } }, type, base);
    name = result.name;
    let next = { ...document, objects: { ...document.objects, [name]: result.document.objects[name]! } };
    if (view && position) next = setLayout(next, layoutKey(view, view === 'memory' ? `/machine/${name}` : `/machine/${name}`), position);
    return next;
  }).then(() => {
    if (name) select(`/machine/${name}`);
  });
}

export function BoardViews(props: BoardViewProps) {
  return (
    <ReactFlowProvider key={props.view}>
      <ViewFlow {...props} />
    </ReactFlowProvider>
  );
}


