// The bottom pane: the board document and its sources, as tabs ("board.json | main.s | + New
// source"). The JSON editor stays mounted under its tab; each source opens in the source editor,
// whose edits are document edits and whose Ctrl+Enter assembles the board's sources and restarts
// the run. Assembly problems (the load's problems at a source's text) become markers and a notice;
// the assembler's warnings become markers too (../source-diagnostics.ts).
import { useEffect, useMemo, useState } from 'react';
import { sourceProblemLocation, type BoardProblem } from '../../graph/index.ts';
import { sourceNames } from '../board-sources.ts';
import { sourceDiagnostics, type SourceDiagnostic } from '../source-diagnostics.ts';
import { assembleAndRun, editSourceText, newSource } from '../designer.ts';
import { useDesignDocument } from '../draft.ts';
import { notify } from '../notices.ts';
import { useSourceDebugging } from '../source-debug.ts';
import { useBoardLab } from '../store.ts';
import JsonEditor from './JsonEditor.tsx';
import { ASSEMBLE_AND_RUN_KEY, SourceEditor } from './SourceEditor.tsx';

const DOCUMENT_TAB = '';
const NO_DIAGNOSTICS: SourceDiagnostic[] = [];

/** The notice after a failed assemble-and-run: how many errors, and the first. */
function failureNotice(name: string, problems: readonly BoardProblem[]): string | undefined {
  const errors = problems.filter((p) => sourceProblemLocation(p) !== undefined && p.severity !== 'warning');
  if (errors.length === 0) return undefined;
  return `${name}: ${errors.length} error${errors.length === 1 ? '' : 's'} — ${errors[0].message}; the board runs the program it had`;
}

export default function DocumentPane() {
  const document = useDesignDocument();
  const report = useBoardLab((s) => s.problems);
  const warnings = useBoardLab((s) => s.assemblerWarnings);
  const reveal = useBoardLab((s) => s.reveal);
  const loading = useBoardLab((s) => s.loading);
  const names = sourceNames(document);
  const [tab, setTab] = useState(DOCUMENT_TAB);
  const active = names.includes(tab) ? tab : DOCUMENT_TAB;
  const source = active === DOCUMENT_TAB ? undefined : document?.sources?.[active];

  // A problem clicked in a source shows that source, at its line and column.
  const [sourceReveal, setSourceReveal] = useState<{ line: number; column: number; seq: number } | null>(null);
  useEffect(() => {
    if (!reveal) return;
    const where = sourceProblemLocation({ pointer: reveal.pointer, message: reveal.message, hint: '' });
    if (where === undefined) {
      setTab(DOCUMENT_TAB);
      return;
    }
    setTab(where.source);
    setSourceReveal({ line: where.line, column: where.column, seq: reveal.seq });
  }, [reveal]);

  const debugging = useSourceDebugging(source === undefined ? undefined : active); // breakpoints and the current line (srcdebug)
  const diagnostics = useMemo(() => (active === DOCUMENT_TAB ? NO_DIAGNOSTICS : sourceDiagnostics(report?.problems ?? [], warnings, active)), [report, warnings, active]);

  const run = async (name: string) => {
    const noticeBefore = useBoardLab.getState().notice?.seq;
    const ok = await assembleAndRun();
    if (ok) {
      // (the load's own notice — the assembler's warnings — stays if it said something)
      if (useBoardLab.getState().notice?.seq === noticeBefore) notify(`assembled ${name}: the board restarted on it`);
      return;
    }
    const notice = failureNotice(name, useBoardLab.getState().problems?.problems ?? []);
    if (notice !== undefined) notify(notice);
  };

  const addSource = async () => {
    const name = await newSource();
    if (name !== undefined) setTab(name);
  };

  const tabs = (
    <div className="document-tabs" role="tablist" aria-label="The board document and its sources">
      <button type="button" role="tab" aria-selected={active === DOCUMENT_TAB} className={`view-tab ${active === DOCUMENT_TAB ? 'view-tab--active' : ''}`} onClick={() => setTab(DOCUMENT_TAB)} data-testid="document-tab">
        board.json
      </button>
      {names.map((name) => (
        <button key={name} type="button" role="tab" aria-selected={active === name} className={`view-tab ${active === name ? 'view-tab--active' : ''}`} onClick={() => setTab(name)} data-testid={`source-tab-${name}`}>
          {name}
        </button>
      ))}
      <button type="button" className="small" onClick={() => void addSource()} data-testid="new-source" title={`A new assembly source with a starting program, as the image of the selected CPU (or the only one); ${ASSEMBLE_AND_RUN_KEY} assembles and runs it`}>
        <span aria-hidden="true">+</span> New source
      </button>
    </div>
  );

  return (
    <div className="document-pane">
      <div className="document-pane__body" style={active === DOCUMENT_TAB ? undefined : { display: 'none' }}>
        <JsonEditor tabs={active === DOCUMENT_TAB ? tabs : undefined} />
      </div>
      {source !== undefined && (
        <div className="document-pane__body">
          <SourceEditor
            name={active}
            text={source.text}
            march={source.march ?? useBoardLab.getState().board?.resolved.images.find((image) => image.source?.name === active)?.source?.march}
            onEdit={(text) => void editSourceText(active, text)}
            onAssembleAndRun={() => void run(active)}
            diagnostics={diagnostics}
            reveal={sourceReveal}
            busy={loading}
            tabs={tabs}
            {...debugging}
          />
        </div>
      )}
    </div>
  );
}
