// The board as a React Flow graph: objects, the bus with each mapping labelled by its base
// address, CPU → bus, IRQ wires. Laid out left to right with ELK.
import {
  Background,
  BackgroundVariant,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  getSmoothStepPath,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ResolvedBoard } from '../../graph/index.ts';
import { boardGraph, type BoardGraph, type GraphNode } from '../board-graph.ts';
import { useBoardLab } from '../store.ts';
import { LedLamp, PushButton } from './Devices.tsx';
import { StatePill } from './MachinePanel.tsx';
import { ActivityGroup, IrqActivityEdge } from './ActivityEdges.tsx';
import { useMappingBusy } from '../activity.ts';
import { elk } from '../elk.ts';
import { labelSize, MIDDLE_PLACES, placeLabels, type LabelPlace, type LabelRequest } from '../edge-labels.ts';
import type { Rect } from '../placement.ts';

type BoardNodeData = GraphNode & Record<string, unknown>;
type BoardFlowNode = Node<BoardNodeData, 'board'>;

const NODE_WIDTH = 196;
/** Buttons get a row with a pressable cap. */
const nodeHeight = (node: GraphNode) => 54 + 17 * node.details.length + (node.subtitle === 'button' ? 26 : 0);

function BoardNode({ id, data }: NodeProps<BoardFlowNode>) {
  // Live parts: the object's life-cycle state, an LED's glow, a button to press.
  const state = useBoardLab((s) => s.machine?.states[id]);
  const led = useBoardLab((s) => s.devices.leds.find((l) => l.path === id));
  const button = useBoardLab((s) => s.devices.buttons.find((b) => b.path === id));
  return (
    <div className={`board-node board-node--${data.kind}`} data-testid={`node-${data.title}`}>
      <Handle type="target" position={Position.Left} />
      <div className="board-node__title">
        <span className="board-node__name">{data.title}</span>
        {led && <LedLamp index={led.index} color={led.color} name={data.title} testId={`graph-led-${data.title}`} />}
      </div>
      <div className="board-node__type">
        <span>{data.subtitle}</span>
        {data.kind !== 'bus' && <StatePill state={state} path={id} testId={`state-${data.title}`} />}
      </div>
      {data.details.map((line) => (
        <div className="board-node__detail" key={line}>
          {line}
        </div>
      ))}
      {button && (
        <div className="board-node__device">
          <PushButton index={button.index} name={data.title} compact testId={`graph-button-${data.title}`} />
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { board: BoardNode };

/**
 * Bus → region: a stepped line (the bus fans out like a backplane) with the base address as a tag
 * at the region's end; it pulses while the CPU touches the mapping (../activity.ts).
 */
function MappingEdge({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style, data }: EdgeProps<Edge<{ mapping?: number }>>) {
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 8, centerX: sourceX + 22 });
  const busy = useMappingBusy(data?.mapping);
  return (
    <>
      <ActivityGroup id={id} kind="mapping" active={busy} source={source} target={target}>
        <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      </ActivityGroup>
      {label && (
        <EdgeLabelRenderer>
          <div className="edge-address" style={{ transform: `translate(-100%, -50%) translate(${targetX - 12}px, ${targetY}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const edgeTypes = { mapping: MappingEdge, irq: IrqActivityEdge };

async function layout(graph: BoardGraph): Promise<Map<string, { x: number; y: number }>> {
  const result = await (await elk()).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '26',
      'elk.layered.spacing.nodeNodeBetweenLayers': '105',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: graph.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: nodeHeight(node) })),
    edges: graph.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  return new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}

/** A simple fallback placement (columns by kind) used until ELK answers, or if it fails. */
function columns(graph: BoardGraph): Map<string, { x: number; y: number }> {
  const column = (node: GraphNode) => (node.kind === 'cpu' ? 0 : node.kind === 'bus' ? 1 : 2);
  const rows = [0, 0, 0];
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const c = column(node);
    positions.set(node.id, { x: c * (NODE_WIDTH + 90), y: rows[c] });
    rows[c] += nodeHeight(node) + 28;
  }
  return positions;
}

/**
 * Where each IRQ wire's label goes so that none covers another, a node or an address tag (wires
 * into one hart run side by side): nodes have one handle a side, at mid-height.
 */
function irqLabelPlaces(graph: BoardGraph, positions: Map<string, { x: number; y: number }>): Map<string, LabelPlace> {
  const box = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    const at = positions.get(id);
    return node && at ? { ...at, width: NODE_WIDTH, height: nodeHeight(node) } : undefined;
  };
  const obstacles: Rect[] = graph.nodes.flatMap((n) => box(n.id) ?? []);
  const requests: LabelRequest[] = [];
  for (const edge of graph.edges) {
    const source = box(edge.source);
    const target = box(edge.target);
    if (!source || !target) continue;
    const from = { x: source.x + source.width, y: source.y + source.height / 2 };
    const to = { x: target.x, y: target.y + target.height / 2 };
    // A mapping's address tag sits just left of the region it maps.
    if (edge.kind === 'mapping' && edge.label) obstacles.push({ x: to.x - 12 - labelSize(edge.label).width, y: to.y - 9, ...labelSize(edge.label) });
    if (edge.kind === 'irq' && edge.label) requests.push({ id: edge.id, edge: { source: from, sourceSide: 'right', target: to, targetSide: 'left' }, text: edge.label, places: MIDDLE_PLACES });
  }
  return placeLabels(requests, obstacles);
}

let layoutCounter = 0;

const FIT_VIEW = { padding: 0.12 };

export function BoardGraphView({ board }: { board: ResolvedBoard }) {
  const graph = useMemo(() => boardGraph(board), [board]);
  // Positions arrive asynchronously from ELK; each layout gets a fresh, uncontrolled flow (so nodes
  // can be dragged around) that fits itself to the view.
  const [laidOut, setLaidOut] = useState<{ graph: BoardGraph; positions: Map<string, { x: number; y: number }>; key: number } | null>(null);

  useEffect(() => {
    let cancelled = false;
    performance.mark('boardlab:graph-layout');
    layout(graph)
      .catch(() => columns(graph))
      .then((positions) => {
        performance.mark('boardlab:graph-laid-out');
        if (!cancelled) setLaidOut({ graph, positions, key: ++layoutCounter });
      });
    return () => {
      cancelled = true;
    };
  }, [graph]);

  const flow = useMemo(() => {
    if (!laidOut) return null;
    const nodes: BoardFlowNode[] = laidOut.graph.nodes.map((node) => ({
      id: node.id,
      type: 'board',
      position: laidOut.positions.get(node.id) ?? { x: 0, y: 0 },
      data: { ...node },
      connectable: false,
    }));
    const labelPlaces = irqLabelPlaces(laidOut.graph, laidOut.positions);
    const edges: Edge[] = laidOut.graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: edge.kind === 'mapping' ? 'mapping' : edge.kind === 'irq' ? 'irq' : 'default',
      label: edge.label || undefined,
      className: `board-edge board-edge--${edge.kind}`,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      labelBgPadding: [6, 3] as [number, number],
      labelBgBorderRadius: 4,
      data: { mapping: edge.mapping, irqWires: edge.irqWire !== undefined ? [edge.irqWire] : undefined, labelAt: labelPlaces.get(edge.id) },
    }));
    return { nodes, edges, key: laidOut.key };
  }, [laidOut]);

  // When the view changes size (the life-cycle panel opens or closes, the window is resized), fit
  // the board into it again.
  const instance = useRef<ReactFlowInstance<BoardFlowNode> | null>(null);
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { width: element.clientWidth, height: element.clientHeight };
    const observer = new ResizeObserver(() => {
      const size = { width: element.clientWidth, height: element.clientHeight };
      if (size.width === last.width && size.height === last.height) return;
      last = size;
      clearTimeout(timer);
      timer = setTimeout(() => void instance.current?.fitView(FIT_VIEW), 60);
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [flow]);

  if (!flow) return <div className="graph-placeholder">laying out {board.name}…</div>;
  return (
    <div className="graph-flow" ref={host}>
      <ReactFlow
        key={flow.key}
        defaultNodes={flow.nodes}
        defaultEdges={flow.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={FIT_VIEW}
        onInit={(flowInstance) => {
          instance.current = flowInstance;
        }}
        colorMode="dark"
        nodesConnectable={false}
        minZoom={0.2}
        maxZoom={1.4}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
