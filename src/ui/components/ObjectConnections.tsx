// Wiring without a mouse: the inspector lists the selected object's IRQ and reset ports, what each
// is wired to, and a "connect to…" choice of compatible ports on other objects. Picking one makes
// the same connection as dragging between the two handles (../wiring.ts connectionPlan), with the
// same proposals: a multi-line port asks which line in the same prompt, conventional line first.
import { useState } from 'react';
import { effectiveType, irqLineCount, type ResolvedBoard, type ResolvedObject } from '../../graph/index.ts';
import { notify } from '../notices.ts';
import { BOARD_RESET, relative } from '../views.ts';
import { connectionPlan, type HandleConnection } from '../wiring.ts';
import { applyPlan, ConnectPrompt, needsPrompt, type PromptPlan } from './ConnectPrompt.tsx';

interface Target {
  /** Shown in the choice: "plic.in", "board". */
  label: string;
  connection: HandleConnection;
}

/** Ports on other objects a port of `object` can be wired to (inputs for an output, outputs for an input). */
function irqTargets(board: ResolvedBoard, object: ResolvedObject, port: string, direction: 'in' | 'out'): Target[] {
  const wanted = direction === 'out' ? 'in' : 'out';
  return board.objects
    .filter((other) => other.path !== object.path)
    .flatMap((other) =>
      (effectiveType(other.type)?.irqs ?? [])
        .filter((p) => p.direction === wanted)
        .map((p) => ({
          label: `${relative(other.path)}.${p.name}`,
          connection:
            direction === 'out'
              ? { source: object.path, sourceHandle: `out:${port}`, target: other.path, targetHandle: `in:${p.name}` }
              : { source: other.path, sourceHandle: `out:${p.name}`, target: object.path, targetHandle: `in:${port}` },
        })),
    );
}

function resetTargets(board: ResolvedBoard, object: ResolvedObject, port: string): Target[] {
  const resettable = board.objects.filter((other) => other.path !== object.path && (effectiveType(other.type)?.resets ?? []).some((r) => r.direction === 'in'));
  return [
    { label: 'board (system reset)', connection: { source: object.path, sourceHandle: `out:${port}`, target: BOARD_RESET, targetHandle: 'in:reset' } },
    ...resettable.map((other) => ({ label: relative(other.path), connection: { source: object.path, sourceHandle: `out:${port}`, target: other.path, targetHandle: 'in:reset' } })),
  ];
}

function PortRow({ board, object, port, direction, kind, wired, targets }: { board: ResolvedBoard; object: ResolvedObject; port: string; direction: 'in' | 'out'; kind: 'irq' | 'reset'; wired: string[]; targets: Target[] }) {
  const [prompt, setPrompt] = useState<PromptPlan | null>(null);
  // Choosing in the list does not connect (arrow keys walk through it): Connect, or Enter, does.
  const [chosen, setChosen] = useState('');
  const choose = (index: number) => {
    const target = targets[index];
    if (!target) return;
    const plan = connectionPlan(kind, board, target.connection);
    if (!plan.ok) {
      notify(`cannot connect: ${plan.reason}`);
      return;
    }
    setChosen('');
    if (needsPrompt(plan)) setPrompt(plan);
    else void applyPlan(plan);
  };
  const label = `${port} (${direction === 'out' ? 'output' : 'input'})`;
  return (
    <div className="inspector__prop" data-testid={`port-${kind}-${port}`}>
      <label className="inspector__label">{label}</label>
      <div className="inspector__meta" data-testid={`port-${kind}-${port}-wired`}>
        {wired.length > 0 ? wired.join(', ') : 'not wired'}
      </div>
      {targets.length > 0 && (
        <div className="inspector__control">
          <select
            className="small"
            value={chosen}
            onChange={(event) => setChosen(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && chosen !== '') {
                event.preventDefault();
                choose(Number(chosen));
              }
            }}
            aria-label={`${direction === 'out' ? 'connect' : 'connect to'} ${relative(object.path)}.${port} ${direction === 'out' ? 'to' : 'from'}`}
            data-testid={`connect-${kind}-${port}`}
          >
            <option value="" disabled>
              {direction === 'out' ? 'connect to…' : 'connect from…'}
            </option>
            {targets.map((target, index) => (
              <option key={target.label} value={index}>
                {target.label}
              </option>
            ))}
          </select>
          <button type="button" className="small" disabled={chosen === ''} onClick={() => choose(Number(chosen))} data-testid={`connect-${kind}-${port}-go`}>
            Connect
          </button>
        </div>
      )}
      {prompt && <ConnectPrompt plan={prompt} board={board} onDone={() => setPrompt(null)} />}
    </div>
  );
}

/** The "Wiring" section of the object inspector. */
export function ObjectConnections({ object, board }: { object: ResolvedObject; board: ResolvedBoard }) {
  const type = effectiveType(object.type);
  const irqs = type?.irqs ?? [];
  const resetOutputs = (type?.resets ?? []).filter((r) => r.direction === 'out');
  if (irqs.length === 0 && resetOutputs.length === 0) return null;
  /** "plic.in[10]", or "uart0.irq" for a port with one line. */
  const lineName = (end: { object: string; port: string; index: number }) => {
    const other = board.objects.find((o) => o.path === end.object);
    const spec = other && effectiveType(other.type)?.irqs.find((p) => p.name === end.port);
    const count = spec ? irqLineCount(spec, other.props) : 1;
    return `${relative(end.object)}.${end.port}${count > 1 ? `[${end.index}]` : ''}`;
  };
  const wires = (port: string, direction: 'in' | 'out') =>
    board.irqs
      .filter((w) => (direction === 'out' ? w.source : w.target).object === object.path && (direction === 'out' ? w.source : w.target).port === port)
      .map((w) => (direction === 'out' ? `→ ${lineName(w.target)}` : `← ${lineName(w.source)}`));
  return (
    <div className="inspector__section" data-testid="object-wiring">
      <div className="inspector__heading">Wiring</div>
      {irqs.map((p) => (
        <PortRow key={`${p.direction}:${p.name}`} board={board} object={object} port={p.name} direction={p.direction} kind="irq" wired={wires(p.name, p.direction)} targets={irqTargets(board, object, p.name, p.direction)} />
      ))}
      {resetOutputs.map((r) => (
        <PortRow
          key={`reset:${r.name}`}
          board={board}
          object={object}
          port={r.name}
          direction="out"
          kind="reset"
          wired={board.resets.filter((w) => w.from === `${object.path}.${r.name}`).map((w) => `→ ${w.label}`)}
          targets={resetTargets(board, object, r.name)}
        />
      ))}
    </div>
  );
}
