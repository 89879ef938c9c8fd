// Warnings about the board being designed (../../graph/warnings.ts): a wire to a line the device
// never raises, an interrupt input driven by the wrong kind of device. Shown in the Problems panel,
// marked as warnings: they never stop the board from running. Clicking one selects the wire.
import { useMemo } from 'react';
import { boardWarnings, type BoardProblem } from '../../graph/index.ts';
import { revealProblem, selectEdge, showView } from '../designer.ts';
import { useBoardLab } from '../store.ts';
import { useDesignBoard } from '../draft.ts';

/** Warnings of the board the designer shows (the draft's when there is one). */
export function useBoardWarnings(): BoardProblem[] {
  const design = useDesignBoard();
  return useMemo(() => (design.resolved ? boardWarnings(design.resolved) : []), [design.resolved]);
}

export function WarningCount({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="badge badge--warning" data-testid="warning-count" title={`${count} warning${count === 1 ? '' : 's'}: the board runs, but probably not as meant`}>
      ⚠ {count}
    </span>
  );
}

export function WarningRows({ warnings }: { warnings: readonly BoardProblem[] }) {
  if (warnings.length === 0) return null;
  const show = (warning: BoardProblem) => {
    const wire = /^(\/irqs\/\d+)(\/|$)/.exec(warning.pointer);
    if (!wire) {
      revealProblem(warning);
      return;
    }
    // The wire is drawn (and inspected) in the IRQ view.
    if (useBoardLab.getState().view === 'overview') showView('irq');
    selectEdge({ kind: 'irq', pointer: wire[1], key: '' });
  };
  return (
    <ul className="problems__list problems__list--warnings" aria-label="warnings">
      {warnings.map((warning, index) => (
        <li className="problem problem--warning problem--linked" key={index} data-testid="warning" title="Select the wire" onClick={() => show(warning)}>
          <span className="problem__icon" aria-label="warning">
            ⚠
          </span>
          <code className="problem__pointer" data-testid="warning-pointer" title="JSON Pointer into the document">
            {warning.pointer === '' ? '(document)' : warning.pointer}
          </code>
          <span className="problem__message" data-testid="warning-message">
            {warning.message}
          </span>
          {warning.hint && <span className="problem__hint">{warning.hint}</span>}
        </li>
      ))}
    </ul>
  );
}
