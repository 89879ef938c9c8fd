// The inspector for a selected wire or mapping (an edge of a view): an IRQ wire's ends and line, a
// mapping's region, address and size, a reset wire's ends; each editable where the board's own
// document holds it, with Delete. Inherited entries (from the machine type) say so: a mapping can
// be moved (the board's entry replaces the machine type's), a wire cannot be removed from the board.
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import { boardWarnings, effectiveType, formatSize, hex, irqLineCount, usableLines, type BoardProblem, type ResolvedBoard } from '../../graph/index.ts';
import { notify } from '../notices.ts';
import { editDocument, selectEdge } from '../designer.ts';
import { referenceOf, removeEntry, setIrqWire, setMappingAddress, setProperty } from '../document-edit.ts';
import { useBoardLab } from '../store.ts';
import { isBoardEntry, relative, type EdgeEntry } from '../views.ts';
import { checkAddress, regionSize } from '../wiring.ts';

/** A text field that commits on Enter (or leaving it); a value `check` refuses stays shown with its reason. */
function EntryField({ value, onCommit, check, testId, label }: { value: string; onCommit: (text: string) => void; check?: (text: string) => string | null; testId: string; label: string }) {
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(value);
    setError(null);
  }, [value]);
  const commit = () => {
    if (text === value) return;
    const reason = check?.(text) ?? null;
    setError(reason);
    if (reason === null) onCommit(text);
  };
  const key = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    if (event.key === 'Escape') {
      setText(value);
      setError(null);
    }
  };
  return (
    <>
      <input
        className={`inspector__input ${error ? 'inspector__input--invalid' : ''}`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={key}
        onBlur={commit}
        aria-label={label}
        aria-invalid={error !== null}
        spellCheck={false}
        data-testid={testId}
      />
      {error && (
        <div className="inspector__error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </div>
      )}
    </>
  );
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="inspector__prop" data-testid={testId}>
      <label className="inspector__label">{label}</label>
      <div className="inspector__control">{children}</div>
    </div>
  );
}

function Notes({ problems, warnings }: { problems: BoardProblem[]; warnings: BoardProblem[] }) {
  return (
    <>
      {problems.map((p, i) => (
        <div className="inspector__error" key={`p${i}`} data-testid="edge-problem">
          {p.message}
          {p.hint && <div className="inspector__hint">{p.hint}</div>}
        </div>
      ))}
      {warnings.map((w, i) => (
        <div className="inspector__warning" key={`w${i}`} data-testid="edge-warning">
          ⚠ {w.message}
          {w.hint && <div className="inspector__hint">{w.hint}</div>}
        </div>
      ))}
    </>
  );
}

/** Deletes the selected wire or mapping from the document (undoable); inherited ones cannot be. */
export function deleteSelectedEdge(): void {
  const entry = useBoardLab.getState().selectedEdge;
  if (!entry) return;
  if (!isBoardEntry(entry)) {
    notify(`cannot delete: this ${entry.kind === 'mapping' ? 'mapping' : 'wire'} comes from the machine type; remove one of its objects instead`);
    return;
  }
  void editDocument((document) => removeEntry(document, entry.pointer));
  selectEdge(null);
}

function DeleteButton({ entry, what }: { entry: EdgeEntry; what: string }) {
  const own = isBoardEntry(entry);
  return (
    <button
      type="button"
      className="small"
      onClick={deleteSelectedEdge}
      disabled={!own}
      data-testid="edge-delete"
      title={own ? `Delete this ${what} (Del)` : `This ${what} comes from the machine type: remove one of its objects instead`}
    >
      Delete
    </button>
  );
}

function IrqWireInspector({ board, entry, problems }: { board: ResolvedBoard; entry: EdgeEntry; problems: BoardProblem[] }) {
  const lines = board.irqs.filter((w) => `${w.pointer}|${w.source.object}.${w.source.port}|${w.target.object}.${w.target.port}` === entry.key || (isBoardEntry(entry) && w.pointer === entry.pointer));
  const first = lines[0];
  if (!first) return <div className="inspector__doc">This wire is gone.</div>;
  const own = isBoardEntry(entry);
  const typeOf = (path: string) => board.objects.find((o) => o.path === path);
  const spec = (path: string, port: string, direction: 'in' | 'out') => effectiveType(typeOf(path)?.type ?? '')?.irqs.find((p) => p.name === port && p.direction === direction);
  const count = (path: string, port: string, direction: 'in' | 'out') => {
    const s = spec(path, port, direction);
    return s ? irqLineCount(s, typeOf(path)?.props ?? {}) : 1;
  };
  const end = (endpoint: typeof first.source, direction: 'in' | 'out', indices: number[]) => {
    const n = count(endpoint.object, endpoint.port, direction);
    const sorted = [...new Set(indices)].sort((a, b) => a - b);
    const range = sorted.length === 1 ? `${sorted[0]}` : `${sorted[0]}..${sorted[sorted.length - 1]}`;
    return `${referenceOf(endpoint.object)}.${endpoint.port}${n > 1 ? `[${range}]` : ''}`;
  };
  const from = end(first.source, 'out', lines.map((l) => l.source.index));
  const to = end(first.target, 'in', lines.map((l) => l.target.index));
  const targetSpec = spec(first.target.object, first.target.port, 'in');
  const targetCount = count(first.target.object, first.target.port, 'in');
  const driven = new Set(board.irqs.filter((w) => w.target.object === first.target.object && w.target.port === first.target.port && !lines.includes(w)).map((w) => w.target.index));
  const choices = targetSpec && lines.length === 1 && targetCount > 1 ? usableLines(targetSpec, targetCount).filter((line) => !driven.has(line) || line === first.target.index) : null;
  if (choices && !choices.includes(first.target.index)) choices.unshift(first.target.index);
  const set = (ends: { from?: string; to?: string }) => void editDocument((document) => setIrqWire(document, entry.pointer, ends));
  const warnings = boardWarnings(board).filter((w) => own && (w.pointer === entry.pointer || w.pointer.startsWith(`${entry.pointer}/`)));
  return (
    <>
      <div className="inspector__type" data-testid="edge-inspector-summary">
        IRQ wire · {relative(from)} → {relative(to)}
        {!own && <span className="chip">from {board.machineType ?? 'the machine type'}</span>}
      </div>
      <div className="inspector__doc">{spec(first.target.object, first.target.port, 'in')?.doc}</div>
      <Notes problems={problems} warnings={warnings} />
      <div className="inspector__section">
        <Row label="from (output)">{own ? <EntryField value={from} onCommit={(text) => set({ from: text.trim() })} testId="wire-from" label="wire from" /> : <code>{from}</code>}</Row>
        <Row label="to (input)">{own ? <EntryField value={to} onCommit={(text) => set({ to: text.trim() })} testId="wire-to" label="wire to" /> : <code>{to}</code>}</Row>
        {choices && own && (
          <Row label={`line of ${relative(first.target.object)}.${first.target.port}`} testId="wire-line-row">
            <select value={first.target.index} onChange={(event) => set({ to: `${referenceOf(first.target.object)}.${first.target.port}[${event.target.value}]` })} data-testid="wire-line" aria-label="input line">
              {choices.map((line) => (
                <option key={line} value={line}>
                  {line}
                </option>
              ))}
            </select>
          </Row>
        )}
        {targetSpec?.reserved && <div className="inspector__doc">Line {targetSpec.reserved.lines.join(', ')} is not offered: {targetSpec.reserved.doc}.</div>}
      </div>
    </>
  );
}

function MappingInspector({ board, entry, problems }: { board: ResolvedBoard; entry: EdgeEntry; problems: BoardProblem[] }) {
  const mapping = board.memory.find((m) => `${m.object}.${m.region}@${hex(m.base)}` === entry.key) ?? (isBoardEntry(entry) ? board.memory.find((m) => m.pointer === entry.pointer) : undefined);
  const container = mapping ? undefined : (board.containers.find((c) => `${c.object}.${c.region}@${hex(c.base)}` === entry.key) ?? board.containers.find((c) => isBoardEntry(entry) && c.pointer === entry.pointer));
  const shown = mapping ?? container;
  if (!shown) return <div className="inspector__doc">This mapping is gone.</div>;
  const object = board.objects.find((o) => o.path === shown.object);
  const regionSpec = object ? effectiveType(object.type)?.regions.find((r) => r.name === shown.region) : undefined;
  const region = `${referenceOf(shown.object)}.${shown.region}`;
  const own = isBoardEntry(entry);
  const alias = mapping?.alias;
  const sizeProp = regionSpec && typeof regionSpec.size === 'object' && 'prop' in regionSpec.size ? regionSpec.size.prop : undefined;
  const check = (text: string) => {
    const checked = checkAddress(board, text, shown.size, shown.space, { object: shown.object, region: shown.region });
    return checked.ok ? null : checked.reason;
  };
  const move = (text: string) => {
    const checked = checkAddress(board, text, shown.size, shown.space, { object: shown.object, region: shown.region });
    if (checked.ok) void editDocument((document) => setMappingAddress(document, entry.pointer, region, checked.at));
  };
  return (
    <>
      <div className="inspector__type" data-testid="edge-inspector-summary">
        {alias ? `alias of ${relative(alias.object)}.${alias.region}` : `mapping · ${relative(region)}`}
        {!own && <span className="chip">from {board.machineType ?? 'the machine type'}</span>}
      </div>
      <div className="inspector__doc">
        {object?.type} · {mapping ? `${mapping.kind} region` : 'container'}
        {shown.space !== 'system' ? ` in address space "${shown.space}"` : ''}. {regionSpec?.doc}
      </div>
      <Notes problems={problems} warnings={[]} />
      <div className="inspector__section">
        <Row label="region">
          <code data-testid="mapping-region">{relative(region)}</code>
        </Row>
        <Row label="address">{alias ? <code>{hex(shown.base)}</code> : <EntryField value={hex(shown.base)} onCommit={move} check={check} testId="mapping-address" label="mapping address" />}</Row>
        <Row label="size" testId="mapping-size-row">
          {sizeProp && object && !alias ? (
            <EntryField
              value={formatSize(shown.size).replace(/ (K|M|G)iB$/, '$1').replace(/ B$/, '')}
              onCommit={(text) => void editDocument((document) => setProperty(document, object.path, sizeProp, text.trim()))}
              testId="mapping-size"
              label="region size"
            />
          ) : (
            <code data-testid="mapping-size">{formatSize(shown.size)}</code>
          )}
        </Row>
        <div className="inspector__meta">
          {hex(shown.base)} – {hex(shown.base + shown.size - 1)}
          {object && regionSize(object, shown.region) !== shown.size ? ` (a window of ${formatSize(regionSize(object, shown.region))})` : ''}
        </div>
      </div>
    </>
  );
}

function ResetInspector({ board, entry }: { board: ResolvedBoard; entry: EdgeEntry }) {
  const reset = board.resets.find((r) => `${r.from}->${r.label}` === entry.key && (!isBoardEntry(entry) || r.pointer === entry.pointer)) ?? board.resets.find((r) => isBoardEntry(entry) && r.pointer === entry.pointer);
  if (!reset) return <div className="inspector__doc">This reset wire is gone.</div>;
  const from = reset.from === 'board' ? 'board' : relative(reset.from);
  return (
    <>
      <div className="inspector__type" data-testid="edge-inspector-summary">
        reset wire · {from} → {reset.label}
        {!isBoardEntry(entry) && <span className="chip">from {board.machineType ?? 'the machine type'}</span>}
      </div>
      <div className="inspector__doc">{reset.to === 'board' ? 'A pulse on the source resets the whole board.' : `A pulse on the source resets ${reset.to.map(relative).join(', ')}.`}</div>
    </>
  );
}

export function EdgeInspector({ board, entry }: { board: ResolvedBoard; entry: EdgeEntry }) {
  const report = useBoardLab((s) => s.problems);
  const problems = report?.text !== undefined && isBoardEntry(entry) ? report.problems.filter((p) => p.pointer === entry.pointer || p.pointer.startsWith(`${entry.pointer}/`)) : [];
  const what = entry.kind === 'irq' ? 'wire' : entry.kind === 'mapping' ? 'mapping' : 'reset wire';
  return (
    <aside className="inspector" data-testid="inspector" aria-label={`inspector: ${what}`}>
      <div className="inspector__head" data-testid="edge-inspector">
        <span className="inspector__heading">{entry.kind === 'irq' ? 'IRQ wire' : entry.kind === 'mapping' ? 'Mapping' : 'Reset wire'}</span>
        <code className="inspector__pointer" title="JSON Pointer into the document">
          {entry.pointer}
        </code>
        <DeleteButton entry={entry} what={what} />
      </div>
      {entry.kind === 'irq' && <IrqWireInspector board={board} entry={entry} problems={problems} />}
      {entry.kind === 'mapping' && <MappingInspector board={board} entry={entry} problems={problems} />}
      {entry.kind === 'reset' && <ResetInspector board={board} entry={entry} />}
    </aside>
  );
}
