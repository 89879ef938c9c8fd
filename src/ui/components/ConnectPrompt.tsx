// The small prompt that appears where a connection was dropped (or in the inspector, for a
// connection made with the keyboard): the address to map a region at, or the line of a multi-line
// port to wire, with the proposal preselected and where it came from ("QEMU virt's uart0
// address"). Enter accepts, Escape cancels; a typed address is checked before it reaches the
// document, and a bad one stays in the field with its reason.
import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { hex, type ResolvedBoard } from '../../graph/index.ts';
import { editDocument } from '../designer.ts';
import { addIrqWire, addMapping } from '../document-edit.ts';
import { checkAddress, lineReference, type ConnectionPlan, type IrqEnd } from '../wiring.ts';

export type PromptPlan = Extract<ConnectionPlan, { kind: 'map' }> | Extract<ConnectionPlan, { kind: 'irq' }>;

/** Whether a plan needs the user's answer: every mapping (its address), a wire to or from a multi-line port. */
export function needsPrompt(plan: ConnectionPlan): plan is PromptPlan {
  return plan.ok && (plan.kind === 'map' || (plan.kind === 'irq' && (plan.source.choice !== undefined || plan.target.choice !== undefined)));
}

/** Applies a plan as proposed (no prompt): the edit the drag asked for. */
export function applyPlan(plan: Extract<ConnectionPlan, { ok: true }>): Promise<boolean> {
  return editDocument((document) => {
    switch (plan.kind) {
      case 'irq':
        return addIrqWire(document, plan.from, plan.to);
      case 'reset':
        return { ...document, resets: [...(document.resets ?? []), { from: plan.from, to: plan.to }] };
      case 'map':
        return addMapping(document, plan.region, plan.at, plan.space, plan.alias !== undefined);
    }
  });
}

function LineSelect({ end, value, onChange, testId, label }: { end: IrqEnd; value: number; onChange: (line: number) => void; testId: string; label: string }) {
  return (
    <label className="connect-prompt__field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(Number(event.target.value))} data-testid={testId} aria-label={label}>
        {end.choice!.lines.map((line) => (
          <option key={line} value={line}>
            {line}
            {line === end.choice!.proposed ? ' (proposed)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface ConnectPromptProps {
  plan: PromptPlan;
  board: ResolvedBoard;
  /** Where to show it, in pixels inside the view (absent: in place, e.g. in the inspector). */
  at?: { x: number; y: number };
  /** Called after the edit is made or the prompt is cancelled. */
  onDone: () => void;
}

export function ConnectPrompt({ plan, board, at, onDone }: ConnectPromptProps) {
  const [address, setAddress] = useState(plan.kind === 'map' ? hex(plan.at) : '');
  const [sourceLine, setSourceLine] = useState(plan.kind === 'irq' ? plan.source.line : 0);
  const [targetLine, setTargetLine] = useState(plan.kind === 'irq' ? plan.target.line : 0);
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  // The first field takes the focus, its proposal selected: typing replaces it, Enter accepts it.
  useEffect(() => {
    const field = form.current?.querySelector<HTMLInputElement | HTMLSelectElement>('input, select');
    field?.focus();
    if (field instanceof HTMLInputElement) field.select();
  }, []);

  const accept = () => {
    if (plan.kind === 'map') {
      const checked = checkAddress(board, address, plan.size, plan.space);
      if (!checked.ok) {
        setError(checked.reason);
        return;
      }
      void applyPlan({ ...plan, at: checked.at });
    } else {
      void applyPlan({ ...plan, from: lineReference(plan.source, sourceLine), to: lineReference(plan.target, targetLine) });
    }
    onDone();
  };

  const key = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      accept();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone();
    }
  };

  const title =
    plan.kind === 'map'
      ? plan.alias
        ? `Show ${plan.region} (at ${hex(plan.alias.at)} in address space ${plan.alias.space}) in address space ${plan.space} too, at`
        : `Map ${plan.region} at`
      : `Wire ${plan.source.port} → ${plan.target.port}`;
  const reason = plan.kind === 'map' ? plan.proposal.reason : (plan.target.choice ?? plan.source.choice)!.reason;
  const reserved = plan.kind === 'irq' ? plan.target.choice?.reserved : undefined;
  const style: CSSProperties | undefined = at ? { left: at.x, top: at.y } : undefined;
  return (
    <form
      ref={form}
      className={`connect-prompt ${at ? 'connect-prompt--floating' : ''} nodrag nopan nowheel`}
      style={style}
      role="dialog"
      aria-label={title}
      data-testid="connect-prompt"
      onKeyDown={key}
      onSubmit={(event) => {
        event.preventDefault();
        accept();
      }}
    >
      <div className="connect-prompt__title">{title}</div>
      {plan.kind === 'map' ? (
        <input
          className={`inspector__input ${error ? 'inspector__input--invalid' : ''}`}
          value={address}
          onChange={(event) => {
            setAddress(event.target.value);
            setError(null);
          }}
          aria-label={`address for ${plan.region}`}
          aria-invalid={error !== null}
          spellCheck={false}
          data-testid="prompt-address"
        />
      ) : (
        <>
          {plan.source.choice && <LineSelect end={plan.source} value={sourceLine} onChange={setSourceLine} testId="prompt-source-line" label={`${plan.source.port} line`} />}
          {plan.target.choice && <LineSelect end={plan.target} value={targetLine} onChange={setTargetLine} testId="prompt-target-line" label={`${plan.target.port} line`} />}
        </>
      )}
      <div className="connect-prompt__why" data-testid="prompt-reason">
        {reason}
      </div>
      {reserved && (
        <div className="connect-prompt__note" data-testid="prompt-reserved">
          Not offered: line {reserved.lines.join(', ')} ({reserved.doc}).
        </div>
      )}
      {error && (
        <div className="inspector__error" role="alert" data-testid="prompt-error">
          {error}
        </div>
      )}
      <div className="connect-prompt__buttons">
        <button type="submit" className="small" data-testid="prompt-accept">
          {plan.kind === 'map' ? 'Map' : 'Wire'}
        </button>
        <button type="button" className="small" onClick={onDone} data-testid="prompt-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
