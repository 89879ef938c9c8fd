// Problems with the last rejected input: one row per problem, JSON Pointer, message and hint.
import { dismissProblems, revealProblem } from '../controller.ts';
import { useBoardLab } from '../store.ts';
import { useBoardWarnings, WarningCount, WarningRows } from './BoardWarnings.tsx';

export function ProblemsPanel() {
  const report = useBoardLab((s) => s.problems);
  const running = useBoardLab((s) => s.board);
  const count = report?.problems.length ?? 0;
  const warnings = useBoardWarnings();
  return (
    <section className={`problems ${count > 0 || warnings.length > 0 ? 'problems--open' : ''}`} data-testid="problems" aria-live="polite">
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
      <WarningRows warnings={warnings} />
    </section>
  );
}
