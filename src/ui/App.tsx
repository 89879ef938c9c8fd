// The designer page: header with the board and file actions, the board graph (with the machine's
// life-cycle panel), the run panel (controls, LEDs and buttons, terminal, displays), the board
// document and the problems panel. Every view reads the store; actions go through the designer (./designer.ts) and the run session (./run-session.ts).
import { lazy, Suspense, useRef, useState, type ChangeEvent, type CSSProperties, type DragEvent } from 'react';
import { BoardGraphView } from './components/BoardGraphView.tsx';
import { DevicesStrip, Displays } from './components/Devices.tsx';
import { MachinePanel } from './components/MachinePanel.tsx';
import { ProblemsPanel } from './components/ProblemsPanel.tsx';
import { RunControls } from './components/RunControls.tsx';
import { TerminalView } from './components/TerminalView.tsx';
import { BoardViews } from './components/BoardViews.tsx';
import { Inspector } from './components/Inspector.tsx';
import { DebugPanel } from './components/DebugPanel.tsx';
import { QmpConsole } from './components/QmpConsole.tsx';
import { ExplainPanel, ExplainToggle } from './components/ExplainPanel.tsx';
import { Palette } from './components/Palette.tsx';
import { DesignerToolbar, ViewTabs, useDesignerShortcuts } from './components/DesignerBar.tsx';
import { Divider, spanOf, usePaneLayout } from './components/Divider.tsx';
import { Notices } from './components/Notices.tsx';
import { LessonMenu, LessonPane } from './components/LessonPanel.tsx';
import { firstBoardOpened, openBoard, openBoardBytes, openDroppedFile, openFirmware } from './designer.ts';
import { firmwareLabel } from './board-firmware.ts';
import { exampleBoards } from './examples.ts';
import { useBoardLab } from './store.ts';
import { useDesignBoard, useDesignDocument } from './draft.ts';

// Monaco is the page's biggest script: it loads once the first board runs, so that evaluating it
// does not hold up the guest's first output on the main thread.
// The pane holds the board document's editor and the source editor (./components/DocumentPane.tsx).
const DocumentPane = lazy(() => firstBoardOpened().then(() => import('./components/DocumentPane.tsx')));

function FileButton({ label, accept, testId, onFile }: { label: string; accept: string; testId: string; onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const changed = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // opening the same file again still fires
    if (file) onFile(file);
  };
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        {label}
      </button>
      <input ref={input} type="file" accept={accept} hidden onChange={changed} data-testid={testId} />
    </>
  );
}

function Header() {
  const board = useBoardLab((s) => s.board);
  const loading = useBoardLab((s) => s.loading);
  const firmware = board ? firmwareLabel(board.resolved) : null;
  const openExample = (file: string) => {
    const example = exampleBoards.find((e) => e.file === file);
    if (example) void openBoard(example.text, example.file);
  };
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand__mark" aria-hidden>
          ◆
        </span>
        <span className="brand__name">BoardLab</span>
      </div>
      <div className="board-title" data-testid="board-title">
        <span className="board-title__name" title={board?.resolved.description || undefined}>
          {board?.resolved.name ?? 'no board'}
        </span>
        {firmware && (
          <span className="chip" data-testid="firmware-chip" title="The firmware the board's document names for its CPUs">
            firmware {firmware}
          </span>
        )}
        <span className="board-title__description" data-testid="board-description" title={board?.resolved.description || undefined}>
          {board?.resolved.description}
        </span>
      </div>
      {loading && <span className="loading">loading…</span>}
      <label className="examples">
        <span>Examples</span>
        <select value={exampleBoards.some((e) => e.file === board?.source) ? board?.source : ''} onChange={(e) => openExample(e.target.value)}>
          <option value="" disabled>
            choose…
          </option>
          {exampleBoards.map((example) => (
            <option key={example.file} value={example.file}>
              {example.file.replace(/\.board\.json$/, '')}
            </option>
          ))}
        </select>
      </label>
      <LessonMenu />
      <FileButton
        label="Open board…"
        accept=".json,.zip,application/json,application/zip"
        testId="open-board"
        onFile={(file) => void file.arrayBuffer().then((bytes) => openBoardBytes(new Uint8Array(bytes), file.name))}
      />
      <FileButton
        label="Open firmware…"
        accept=".elf,application/x-elf,application/octet-stream"
        testId="open-firmware"
        onFile={(file) => void file.arrayBuffer().then((bytes) => openFirmware(new Uint8Array(bytes), file.name))}
      />
    </header>
  );
}

const NO_PROBLEMS: never[] = [];
const NO_LAYOUT: Readonly<Record<string, { x: number; y: number }>> = {};

export function App() {
  const board = useBoardLab((s) => s.board);
  const view = useBoardLab((s) => s.view);
  const report = useBoardLab((s) => s.problems);
  const [showMachine, setShowMachine] = useState(false);
  const [showDebug, setShowDebug] = useState(false);
  const [showQmp, setShowQmp] = useState(false);
  const [showExplain, setShowExplain] = useState(false);
  useDesignerShortcuts();
  const design = useDesignBoard();
  // The panes' shares of the window (dragged dividers, kept across reloads).
  const [panes, resizePane] = usePaneLayout();
  const workspace = useRef<HTMLElement>(null);
  const debugging = (showDebug || showQmp || showExplain) && board !== null;
  const runSplit = debugging ? 'runDebugging' : 'run';
  const paneShares = {
    '--graph-fr': `${panes.graph}fr`,
    '--side-fr': `${1 - panes.graph}fr`,
    '--run-fr': `${panes[runSplit]}fr`,
    '--editor-fr': `${1 - panes[runSplit]}fr`,
  } as CSSProperties;
  const designDocument = useDesignDocument();
  const layout = designDocument?.layout ?? NO_LAYOUT;
  const draftProblems = report?.text !== undefined ? report.problems : NO_PROBLEMS;
  // Files dropped anywhere on the page: a board document (.json) or bundle (.zip) opens, anything else is the board's firmware.
  const dropFile = (event: DragEvent<HTMLDivElement>) => {
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    void file.arrayBuffer().then((bytes) => openDroppedFile(new Uint8Array(bytes), file.name));
  };
  return (
    <div className="app" onDragOver={(event) => event.dataTransfer.types.includes('Files') && event.preventDefault()} onDrop={dropFile}>
      <Header />
      <main className={`workspace workspace--resizable ${debugging ? 'workspace--debugging' : ''}`} ref={workspace} style={paneShares}>
        <section className="pane pane--graph">
          <div className="panel-header">
            <ViewTabs />
            <span className="spacer" />
            <DesignerToolbar />
            <button
              type="button"
              className={`small ${showMachine ? 'toggled' : ''}`}
              aria-pressed={showMachine}
              onClick={() => setShowMachine(!showMachine)}
              data-testid="toggle-machine-panel"
              title="Life-cycle state of every object and the engine's events"
            >
              Life cycle
            </button>
          </div>
          <div className="graph-row">
            {view !== 'overview' && <Palette />}
            <div className="graph-host" data-testid="board-graph">
              {!board ? (
                <div className="graph-placeholder">no board loaded</div>
              ) : view === 'overview' ? (
                <BoardGraphView board={board.resolved} />
              ) : (
                <BoardViews view={view} board={design.resolved ?? board.resolved} layout={layout} problems={draftProblems} />
              )}
              {draftProblems.length > 0 && (
                <div className="draft-banner" data-testid="draft-banner">
                  The edited board has {draftProblems.length} problem{draftProblems.length === 1 ? '' : 's'} and does not run yet; {design.draft ? 'the views show the draft' : 'the views show the running board'}. Fix it, or undo (Ctrl+Z).
                </div>
              )}
              <Notices />
            </div>
            {view !== 'overview' && <Inspector />}
            {showMachine && board && <MachinePanel />}
          </div>
        </section>
        <Divider
          split="graph"
          value={panes.graph}
          onChange={(value) => resizePane('graph', value)}
          orientation="vertical"
          span={() => spanOf(workspace.current, '.pane--graph', '.pane--console', 'vertical')}
          label="the graph and the run pane"
          className="divider--columns"
          testId="divider-graph"
        />
        <section className="pane pane--console">
          <div className="panel-header panel-header--controls">
            <RunControls />
          </div>
          <DevicesStrip />
          <div className="debug-toggle">
            <button type="button" className={`small ${showDebug ? 'toggled' : ''}`} aria-pressed={showDebug} onClick={() => setShowDebug(!showDebug)} data-testid="toggle-debug" title="Disassembly with breakpoints, registers, memory">
              Debugger
            </button>
            <button
              type="button"
              className={`small qmp-toggle ${showQmp ? 'toggled' : ''}`}
              aria-pressed={showQmp}
              onClick={() => setShowQmp(!showQmp)}
              data-testid="toggle-qmp"
              title="A QMP monitor session on the running machine (QEMU's machine protocol)"
            >
              QMP monitor
            </button>
            <ExplainToggle shown={showExplain} onToggle={() => setShowExplain(!showExplain)} />
          </div>
          <div className="run-body">
            {debugging && (
              <div className="run-tools" style={{ '--tools-share': `${panes.tools * 100}%` } as CSSProperties}>
                {showDebug && board && <DebugPanel />}
                {showQmp && board && <QmpConsole />}
                {showExplain && board && <ExplainPanel />}
              </div>
            )}
            {debugging && (
              <Divider
                split="tools"
                value={panes.tools}
                onChange={(value) => resizePane('tools', value)}
                orientation="horizontal"
                span={() => spanOf(workspace.current, '.run-tools', '.console-body', 'horizontal')}
                label="the debugger and the terminal"
                testId="divider-tools"
              />
            )}
            <div className="console-body">
              <TerminalView />
              <Displays />
            </div>
          </div>
        </section>
        <Divider
          split={runSplit}
          value={panes[runSplit]}
          onChange={(value) => resizePane(runSplit, value)}
          orientation="horizontal"
          span={() => spanOf(workspace.current, '.pane--console', '.pane--editor', 'horizontal')}
          label="the run pane and the board document"
          className="divider--rows"
          testId="divider-run"
        />
        <section className="pane pane--editor">
          <LessonPane>
            <Suspense fallback={<div className="graph-placeholder">loading editor…</div>}>
              <DocumentPane />
            </Suspense>
          </LessonPane>
        </section>
        <ProblemsPanel />
      </main>
    </div>
  );
}
