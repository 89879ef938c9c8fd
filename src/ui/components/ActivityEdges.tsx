// Edges that show live activity (../activity.ts): an IRQ wire drawn lit while its line is high, a
// memory mapping that pulses while the CPU touches its region. Each edge subscribes to its own
// flag only, so a flag that flips re-renders one edge, not the graph. They draw like React Flow's
// default (bezier) edge; BoardGraphView's stepped mapping edge uses ActivityGroup directly.
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import { useIrqWiresLit, useMappingBusy } from '../activity.ts';
import { bezierPoint, type EdgeGeometry, type Side } from '../edge-labels.ts';
import './activity.css';

export type ActivityKind = 'irq' | 'mapping';

interface ActivityGroupProps {
  id: string;
  kind: ActivityKind;
  active: boolean;
  /** The edge's end nodes, as attributes (tests find an edge by what it connects). */
  source: string;
  target: string;
  children: ReactNode;
}

/** Wraps an edge's drawing; `data-active` says whether it shows activity now (tests read it). */
export function ActivityGroup({ id, kind, active, source, target, children }: ActivityGroupProps) {
  return (
    <g
      className={`edge-activity edge-activity--${kind}`}
      data-active={active ? 'true' : 'false'}
      data-testid={`activity-${id}`}
      data-source={source}
      data-target={target}
    >
      {children}
    </g>
  );
}

function BezierDrawing(props: EdgeProps) {
  const [path, middleX, middleY] = getBezierPath(props);
  // A label placed along the wire (../edge-labels.ts: where it covers no other label), else the middle.
  const labelAt = (props.data as { labelAt?: number } | undefined)?.labelAt;
  const place = labelAt === undefined ? { x: middleX, y: middleY } : bezierPoint(labelGeometry(props), labelAt);
  const [labelX, labelY] = [place.x, place.y];
  return (
    <BaseEdge
      id={props.id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      style={props.style}
      markerStart={props.markerStart}
      markerEnd={props.markerEnd}
      interactionWidth={props.interactionWidth}
    />
  );
}

const sideOf = (position: EdgeProps['sourcePosition']): Side => (position === 'left' || position === 'top' || position === 'bottom' ? position : 'right');

function labelGeometry(props: EdgeProps): Pick<EdgeGeometry, 'source' | 'sourceSide' | 'target' | 'targetSide'> {
  return { source: { x: props.sourceX, y: props.sourceY }, sourceSide: sideOf(props.sourcePosition), target: { x: props.targetX, y: props.targetY }, targetSide: sideOf(props.targetPosition) };
}

export type IrqEdgeData = { irqWires: number[] } & Record<string, unknown>;
export type MappingEdgeData = { mapping: number } & Record<string, unknown>;

/** IRQ wire(s) (indices into board.irqs), lit while any of them is high. */
export const IrqActivityEdge = memo(function IrqActivityEdge(props: EdgeProps<Edge<IrqEdgeData>>) {
  const lit = useIrqWiresLit(props.data?.irqWires);
  return (
    <ActivityGroup id={props.id} kind="irq" active={lit} source={props.source} target={props.target}>
      <BezierDrawing {...props} />
    </ActivityGroup>
  );
});

/** A mapping (index into board.memory) that pulses while its region is touched. */
export const MappingActivityEdge = memo(function MappingActivityEdge(props: EdgeProps<Edge<MappingEdgeData>>) {
  const busy = useMappingBusy(props.data?.mapping);
  return (
    <ActivityGroup id={props.id} kind="mapping" active={busy} source={props.source} target={props.target}>
      <BezierDrawing {...props} />
    </ActivityGroup>
  );
});
