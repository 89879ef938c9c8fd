// One of the board's assembly sources in Monaco (docs/board-format.md §1a). The text belongs to the
// board document: typing is reported (coalesced) through onEdit, which makes it an undoable document
// edit; a change of the document's text from elsewhere (undo, another board) shows here. Ctrl+Enter
// (or the button) assembles and runs. Assembly problems are markers at their line and column.
//
// Source-level debugging plugs in through three props, all optional: `breakpointLines` (red dots in
// the glyph margin), `currentLine` (the line the debugged CPU is at: highlighted, with an arrow in
// the margin) and `onToggleBreakpoint` (a click in the glyph margin, or F9 on the cursor's line; the
// margin is shown only when it is given). The component keeps no breakpoint state of its own.
import { useEffect, useRef, type ReactNode } from 'react';
import { asmLanguageFor } from '../asm-language.ts';
import { monaco } from '../monaco.ts';
import type { SourceDiagnostic } from '../source-diagnostics.ts';

export interface SourceEditorProps {
  /** The source's name in the board ("main.s"). */
  name: string;
  /** Its text in the board document. */
  text: string;
  /** The instruction set it is assembled for (chooses the comment syntax: "#" for RISC-V, "@" for ARM). */
  march?: string;
  /** The user changed the text: called at most every EDIT_SETTLE_MS while typing, and at once before onAssembleAndRun. */
  onEdit(text: string): void;
  /** Ctrl+Enter or the button: called after onEdit has had the latest text. */
  onAssembleAndRun(): void;
  /** Problems to mark (replaced as a whole each time). */
  diagnostics: readonly SourceDiagnostic[];
  /** Lines (1-based) that hold a breakpoint: a dot in the glyph margin. */
  breakpointLines?: readonly number[];
  /** The line (1-based) the debugged CPU is about to run: highlighted, with an arrow in the margin; null: none. */
  currentLine?: number | null;
  /** A click in the glyph margin, or F9, on `line` (1-based): the caller adds or removes the breakpoint. Absent: no glyph margin. */
  onToggleBreakpoint?(line: number): void;
  /** Show this place (a problem the user clicked): a new `seq` moves the cursor there and focuses the editor. */
  reveal?: { line: number; column: number; seq: number } | null;
  /** Whether a run is in progress (the button says so). */
  busy?: boolean;
  /** Shown in the header in place of the source's name (the bottom pane's tabs). */
  tabs?: ReactNode;
}

/** Typing settles into one document edit after this long without a keystroke (so undo steps are words, not letters). */
const EDIT_SETTLE_MS = 400;
const MARKER_OWNER = 'boardlab-asm';
/** The key that assembles and runs, as the button's tooltip names it. */
export const ASSEMBLE_AND_RUN_KEY = 'Ctrl+Enter';

let modelCounter = 0;

export function SourceEditor(props: SourceEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // The latest props, for Monaco's callbacks (registered once).
  const latest = useRef(props);
  latest.current = props;
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Set while the editor takes the document's text, so that is not reported back as an edit. */
  const syncing = useRef(false);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);

  const flush = () => {
    clearTimeout(pending.current);
    pending.current = undefined;
    const value = editorRef.current?.getValue();
    if (value !== undefined && value !== latest.current.text) latest.current.onEdit(value);
  };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const editor = monaco.editor.create(element, {
      theme: 'boardlab-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 8,
      insertSpaces: true,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      glyphMargin: latest.current.onToggleBreakpoint !== undefined,
      // Chromium's EditContext input puts keystrokes on a plain <div>, which page-wide shortcut
      // handlers (the graph views' Space to pan) take for keys outside any text field: a textarea is.
      editContext: false,
      // Enter ends the line even while a completion (a label, a word of the source) is offered: Tab takes it.
      acceptSuggestionOnEnter: 'off',
    });
    editorRef.current = editor;
    decorations.current = editor.createDecorationsCollection([]);
    const changes = editor.onDidChangeModelContent(() => {
      if (syncing.current) return;
      clearTimeout(pending.current);
      pending.current = setTimeout(flush, EDIT_SETTLE_MS);
    });
    const run = () => {
      flush();
      latest.current.onAssembleAndRun();
    };
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
    editor.addCommand(monaco.KeyCode.F9, () => {
      const line = editor.getPosition()?.lineNumber;
      if (line !== undefined) latest.current.onToggleBreakpoint?.(line);
    });
    const clicks = editor.onMouseDown((event) => {
      if (event.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN) return;
      const line = event.target.position?.lineNumber;
      if (line !== undefined) latest.current.onToggleBreakpoint?.(line);
    });
    // Leaving the editor ends the edit (a click on Save or Share then carries the text).
    const blur = editor.onDidBlurEditorText(flush);
    return () => {
      flush();
      changes.dispose();
      clicks.dispose();
      blur.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  // One model per source (its own undo stack), in the language of its instruction set.
  const language = asmLanguageFor(props.march);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const old = editor.getModel();
    const uri = monaco.Uri.parse(`inmemory://boardlab/sources/${++modelCounter}/${encodeURIComponent(props.name)}`);
    syncing.current = true;
    editor.setModel(monaco.editor.createModel(latest.current.text, language, uri));
    syncing.current = false;
    old?.dispose();
  }, [props.name, language]);

  // The document's text changed elsewhere (undo, redo, a board opened): show it, as an edit Monaco can undo.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || pending.current !== undefined || model.getValue() === props.text) return;
    syncing.current = true;
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: props.text }], () => null);
    syncing.current = false;
  }, [props.text]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      props.diagnostics.map((d) => {
        const line = Math.min(Math.max(d.line, 1), model.getLineCount());
        const word = model.getWordAtPosition({ lineNumber: line, column: d.column });
        const end = word && word.startColumn <= d.column ? word.endColumn : Math.max(d.column + 1, model.getLineMaxColumn(line));
        return {
          startLineNumber: line,
          startColumn: d.column,
          endLineNumber: line,
          endColumn: end,
          severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: d.hint ? `${d.message}\n${d.hint}` : d.message,
          source: props.name,
        };
      }),
    );
  }, [props.diagnostics, props.name, language]);

  useEffect(() => {
    editorRef.current?.updateOptions({ glyphMargin: props.onToggleBreakpoint !== undefined });
    const lines = props.breakpointLines ?? [];
    const current = props.currentLine ?? null;
    decorations.current?.set([
      ...lines.map((line) => ({ range: new monaco.Range(line, 1, line, 1), options: { glyphMarginClassName: 'source-breakpoint', glyphMarginHoverMessage: { value: 'Breakpoint (click or F9 to remove)' }, stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges } })),
      ...(current === null ? [] : [{ range: new monaco.Range(current, 1, current, 1), options: { isWholeLine: true, className: 'source-current-line', glyphMarginClassName: 'source-current-arrow' } }]),
    ]);
    if (current !== null) editorRef.current?.revealLineInCenterIfOutsideViewport(current);
  }, [props.breakpointLines, props.currentLine, props.onToggleBreakpoint, props.name, language]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !props.reveal) return;
    const position = { lineNumber: props.reveal.line, column: props.reveal.column };
    editor.revealPositionInCenterIfOutsideViewport(position);
    editor.setPosition(position);
    editor.focus();
  }, [props.reveal]);

  return (
    <div className="source-editor">
      <div className="panel-header">
        {props.tabs ?? <span className="panel-title">{props.name}</span>}
        <span className="panel-subtitle">{props.march ?? ''}</span>
        <span className="spacer" />
        <button
          type="button"
          className="small primary"
          onClick={() => {
            flush();
            props.onAssembleAndRun();
          }}
          disabled={props.busy}
          title={`Assemble ${props.name} and run the board on it (${ASSEMBLE_AND_RUN_KEY})`}
          data-testid="assemble-and-run"
        >
          Assemble &amp; run
        </button>
      </div>
      <div className="source-editor__host" ref={host} data-testid="source-editor" />
    </div>
  );
}
