// Problems with the last rejected input: one row per problem, JSON Pointer, message and hint.
// Below them, the running guest's problems: CPUs without firmware, bad accesses, trap loops.
import { relativePath } from '../../graph/index.ts';
import { dismissProblems, revealProblem, select, showView } from '../designer.ts';
import { useBoardLab } from '../store.ts';
import { useBoardWarnings, WarningCount, WarningRows } from './BoardWarnings.tsx';
import type { GuestProblem } from '../guest-status.ts';

/** Shows the CPU a guest problem is about in the inspector (which the overview does not have). */
function showCpu(problem: GuestProblem): void {
  if (useBoardLab.getState().view === 'overview') showView('composition');
  select(problem.cpu);
}

/** The running guest's problems, from the engine (../guest-status.ts): what the CPU did, where, and what the board has there. */
function GuestProblems() {
  const problems = useBoardLab((s) => s.guestProblems);
  if (problems.length === 0) return null;
  return (
    <div className="guest-problems" data-testid="guest-problems">
      <div className="guest-problems__title">
        The running guest <span className="badge badge--error" data-testid="guest-problem-count">{problems.length}</span>
      </div>
      <ul className="problems__list">
        {problems.map((problem, index) => (
          <li className="problem problem--linked" key={index} data-testid="guest-problem" data-kind={problem.kind} title={`Show ${relativePath(problem.cpu)} in the inspector`} onClick={() => showCpu(problem)}>
            <span className="problem__icon" aria-hidden>
              ✖
            </span>
            <code className="problem__pointer" data-testid="guest-problem-cpu">
              {relativePath(problem.cpu)}
            </code>
            <span className="problem__message" data-testid="guest-problem-message">
              {problem.message}
            </span>
            <span className="problem__hint" data-testid="guest-problem-hint">
              {problem.hint}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ProblemsPanel() {
  const report = useBoardLab((s) => s.problems);
  const running = useBoardLab((s) => s.board);
  const count = report?.problems.length ?? 0;
  const guestCount = useBoardLab((s) => s.guestProblems.length);
  const warnings = useBoardWarnings();
  return (
    <section className={`problems ${count > 0 || guestCount > 0 || warnings.length > 0 ? 'problems--open' : ''}`} data-testid="problems" aria-live="polite">
      <div className="panel-header">
        <span className="panel-title">Problems</span>
        <span className={`badge ${count > 0 ? 'badge--error' : ''}`} data-testid="problem-count">
          {count}
        </span>
        <WarningCount count={warnings.length} />
        {report && (
          <span className="panel-subtitle">
            {report.subject} was rejected{running ? ` — the running board (${running.resolved.name}) is unchanged` : ''}
          </span>
        )}
        {!report && guestCount > 0 && <span className="panel-subtitle">none in the board document; the running guest has {guestCount}</span>}
        <span className="spacer" />
        {report && (
          <button type="button" className="small" onClick={dismissProblems}>
            Dismiss
          </button>
        )}
      </div>
      {report && (
        <ul className="problems__list">
          {report.problems.map((problem, index) => (
            <li
              className={`problem ${report.text !== undefined ? 'problem--linked' : ''}`}
              key={index}
              data-testid="problem"
              title={report.text !== undefined ? 'Show in the board document' : undefined}
              onClick={report.text !== undefined ? () => revealProblem(problem) : undefined}
            >
              <span className="problem__icon" aria-hidden>
                ✖
              </span>
              <code className="problem__pointer" data-testid="problem-pointer" title="JSON Pointer into the document">
                {problem.pointer === '' ? '(document)' : problem.pointer}
              </code>
              <span className="problem__message" data-testid="problem-message">
                {problem.message}
              </span>
              {problem.hint && <span className="problem__hint">{problem.hint}</span>}
            </li>
          ))}
        </ul>
      )}
      <GuestProblems />
      <WarningRows warnings={warnings} />
    </section>
  );
}
