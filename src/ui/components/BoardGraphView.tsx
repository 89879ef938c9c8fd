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
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { ResolvedBoard } from '../../graph/index.ts';
import { boardGraph, type BoardGraph, type GraphNode } from '../board-graph.ts';

type BoardNodeData = GraphNode & Record<string, unknown>;
type BoardFlowNode = Node<BoardNodeData, 'board'>;

const NODE_WIDTH = 196;
const nodeHeight = (node: GraphNode) => 54 + 17 * node.details.length;

function BoardNode({ data }: NodeProps<BoardFlowNode>) {
  return (
    <div className={`board-node board-node--${data.kind}`} data-testid={`node-${data.title}`}>
      <Handle type="target" position={Position.Left} />
      <div className="board-node__title">{data.title}</div>
      <div className="board-node__type">{data.subtitle}</div>
      {data.details.map((line) => (
        <div className="board-node__detail" key={line}>
          {line}
        </div>
      ))}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { board: BoardNode };

/** Bus → region: a stepped line (the bus fans out like a backplane) with the base address as a tag at the region's end. */
function MappingEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style }: EdgeProps) {
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 8, centerX: sourceX + 22 });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
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

const edgeTypes = { mapping: MappingEdge };

async function layout(graph: BoardGraph): Promise<Map<string, { x: number; y: number }>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const result = await elk.layout({
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

let layoutCounter = 0;

export function BoardGraphView({ board, firmware }: { board: ResolvedBoard; firmware: string | null }) {
  const graph = useMemo(() => boardGraph(board, firmware), [board, firmware]);
  // Positions arrive asynchronously from ELK; each layout gets a fresh, uncontrolled flow (so nodes
  // can be dragged around) that fits itself to the view.
  const [laidOut, setLaidOut] = useState<{ graph: BoardGraph; positions: Map<string, { x: number; y: number }>; key: number } | null>(null);

  useEffect(() => {
    let cancelled = false;
    layout(graph)
      .catch(() => columns(graph))
      .then((positions) => {
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
    const edges: Edge[] = laidOut.graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: edge.kind === 'mapping' ? 'mapping' : 'default',
      label: edge.label || undefined,
      className: `board-edge board-edge--${edge.kind}`,
      animated: edge.kind === 'irq',
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      labelBgPadding: [6, 3] as [number, number],
      labelBgBorderRadius: 4,
    }));
    return { nodes, edges, key: laidOut.key };
  }, [laidOut]);

  if (!flow) return <div className="graph-placeholder">laying out {board.name}…</div>;
  return (
    <ReactFlow
      key={flow.key}
      defaultNodes={flow.nodes}
      defaultEdges={flow.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      fitView
      fitViewOptions={{ padding: 0.12 }}
      colorMode="dark"
      nodesConnectable={false}
      minZoom={0.2}
      maxZoom={1.4}
    >
      <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
