// The lesson panel: the open lesson's current step (its Markdown), the step's checks ticking as
// they pass — board checks on the board being designed, at every edit; run checks on what the
// running board did, as the guest runs — its hints one at a time, and the way between steps.
// Also the lesson gallery menu (lessons shipped in lessons/, or a lesson file) for the header.
import { Fragment, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { checkPasses, type LessonCheck, type ResolvedBoard, type RunObservations } from '../../graph/index.ts';
import { parseMarkdown, type Block, type Inline } from '../markdown.ts';
import { closeLesson, goToStep, openLessonText, revealHint, useLesson } from '../lesson-session.ts';
import { lessonLink } from '../lesson-link.ts';
import { shippedLessons } from '../lessons.ts';
import { notifyLink } from '../notices.ts';
import { useDesignBoard } from '../draft.ts';
import './lesson.css';

function InlineText({ parts }: { parts: Inline[] }): ReactNode {
  return parts.map((part, i) => {
    switch (part.kind) {
      case 'text':
        return <Fragment key={i}>{part.text}</Fragment>;
      case 'code':
        return <code key={i}>{part.text}</code>;
      case 'strong':
        return (
          <strong key={i}>
            <InlineText parts={part.children} />
          </strong>
        );
      case 'em':
        return (
          <em key={i}>
            <InlineText parts={part.children} />
          </em>
        );
      case 'link':
        return (
          <a key={i} href={part.href} target="_blank" rel="noreferrer noopener">
            <InlineText parts={part.children} />
          </a>
        );
    }
  });
}

function MarkdownBlocks({ blocks }: { blocks: Block[] }): ReactNode {
  return blocks.map((block, i) => {
    switch (block.kind) {
      case 'paragraph':
        return (
          <p key={i}>
            <InlineText parts={block.children} />
          </p>
        );
      case 'heading': {
        const Heading = (['h3', 'h4', 'h5'] as const)[block.level - 1];
        return (
          <Heading key={i}>
            <InlineText parts={block.children} />
          </Heading>
        );
      }
      case 'list': {
        const List = block.ordered ? 'ol' : 'ul';
        return (
          <List key={i}>
            {block.items.map((item, j) => (
              <li key={j}>
                <InlineText parts={item} />
              </li>
            ))}
          </List>
        );
      }
      case 'code':
        return (
          <pre key={i}>
            <code>{block.text}</code>
          </pre>
        );
    }
  });
}

function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <MarkdownBlocks blocks={blocks} />;
}

function stepPasses(checks: readonly LessonCheck[], board: ResolvedBoard | null, run: RunObservations | null): boolean[] {
  return checks.map((check) => board !== null && checkPasses(check, board, run ?? undefined));
}

/**
 * The pane the board document's editor lives in: while a lesson is open it shows the lesson, with
 * a tab back to the document (the editor stays mounted, so its state survives the switch).
 */
export function LessonPane({ children }: { children: ReactNode }) {
  const open = useLesson((s) => s.lesson !== null);
  const [showDocument, setShowDocument] = useState(false);
  if (!open) return children;
  return (
    <div className="lesson-pane">
      <div className="lesson-pane__tabs" role="tablist" aria-label="Lesson or board document">
        <button type="button" role="tab" aria-selected={!showDocument} className={`small ${!showDocument ? 'toggled' : ''}`} onClick={() => setShowDocument(false)} data-testid="tab-lesson">
          Lesson
        </button>
        <button type="button" role="tab" aria-selected={showDocument} className={`small ${showDocument ? 'toggled' : ''}`} onClick={() => setShowDocument(true)} data-testid="tab-document">
          Board document
        </button>
      </div>
      <div className="lesson-pane__body" hidden={!showDocument}>
        {children}
      </div>
      {!showDocument && <LessonPanel />}
    </div>
  );
}

function LessonPanel() {
  const { lesson, step, hintsShown, run, text } = useLesson();
  const design = useDesignBoard();
  if (lesson === null) return null;
  const current = lesson.steps[step];
  const passes = stepPasses(current.checks, design.resolved, run);
  const stepsDone = lesson.steps.map((s) => s.checks.length > 0 && stepPasses(s.checks, design.resolved, run).every(Boolean));
  const hints = current.hints ?? [];
  const copyLink = () => {
    const url = lessonLink(location.origin + location.pathname, text);
    void navigator.clipboard
      ?.writeText(url)
      .then(() => notifyLink(url, true))
      .catch(() => notifyLink(url, false));
  };
  return (
    <aside className="lesson-panel" data-testid="lesson-panel" aria-label={`Lesson: ${lesson.title}`}>
      <div className="lesson-panel__header">
        <h2 className="lesson-panel__title">{lesson.title}</h2>
        <button type="button" className="small" onClick={copyLink} title="Copy a link that carries this whole lesson" data-testid="lesson-link">
          Link
        </button>
        <button type="button" className="small" onClick={closeLesson} aria-label="Close the lesson" title="Close the lesson (the board stays)" data-testid="lesson-close">
          ×
        </button>
      </div>
      <nav className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <button
            key={i}
            type="button"
            className={`lesson-steps__step ${i === step ? 'current' : ''} ${stepsDone[i] ? 'done' : ''}`}
            aria-current={i === step ? 'step' : undefined}
            onClick={() => goToStep(i)}
            title={`Step ${i + 1}: ${s.title}${stepsDone[i] ? ' (done)' : ''}`}
            data-testid={`lesson-step-${i + 1}`}
          >
            {stepsDone[i] ? '✓' : i + 1}
          </button>
        ))}
      </nav>
      <div className="lesson-panel__body">
        <h3 className="lesson-panel__step" data-testid="lesson-step-title">
          Step {step + 1} of {lesson.steps.length}: {current.title}
        </h3>
        <div className="lesson-markdown" data-testid="lesson-text">
          <Markdown text={current.text} />
        </div>
        {current.checks.length > 0 && (
          <ul className="lesson-checks" aria-label="Checks">
            {current.checks.map((check, i) => (
              <li key={i} className={passes[i] ? 'passed' : ''} data-testid="lesson-check" data-passed={passes[i] ? 'true' : 'false'}>
                <span className="lesson-checks__mark" aria-label={passes[i] ? 'passed' : 'not yet'}>
                  {passes[i] ? '✓' : '○'}
                </span>
                {check.message}
              </li>
            ))}
          </ul>
        )}
        {hints.slice(0, hintsShown).map((hint, i) => (
          <div key={i} className="lesson-hint" data-testid="lesson-hint">
            <Markdown text={hint} />
          </div>
        ))}
        {hintsShown < hints.length && (
          <button type="button" className="small" onClick={revealHint} data-testid="lesson-show-hint">
            {hintsShown === 0 ? 'Show a hint' : 'Another hint'} ({hints.length - hintsShown} left)
          </button>
        )}
      </div>
      <div className="lesson-panel__footer">
        <button type="button" onClick={() => goToStep(step - 1)} disabled={step === 0} data-testid="lesson-previous">
          ← Previous
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => goToStep(step + 1)} disabled={step === lesson.steps.length - 1} className={passes.every(Boolean) ? 'primary' : ''} data-testid="lesson-next">
          Next →
        </button>
      </div>
    </aside>
  );
}

/** The header's lesson gallery: the lessons shipped with the build, and a lesson file to open. */
export function LessonMenu() {
  const source = useLesson((s) => s.source);
  const input = useRef<HTMLInputElement>(null);
  const choose = (file: string) => {
    const shipped = shippedLessons.find((l) => l.file === file);
    if (shipped) void openLessonText(shipped.text, shipped.file);
  };
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void file.text().then((text) => openLessonText(text, file.name));
  };
  return (
    <>
      <label className="lesson-gallery">
        <span>Lessons</span>
        <select value={shippedLessons.some((l) => l.file === source) ? source : ''} onChange={(e) => choose(e.target.value)} data-testid="lesson-gallery">
          <option value="" disabled>
            choose…
          </option>
          {shippedLessons.map((lesson) => (
            <option key={lesson.file} value={lesson.file}>
              {lesson.title}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => input.current?.click()}>
        Open lesson…
      </button>
      <input ref={input} type="file" accept=".json,application/json" hidden onChange={picked} data-testid="open-lesson" />
    </>
  );
}
