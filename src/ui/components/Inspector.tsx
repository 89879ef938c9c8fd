// The inspector: the selected object, generated from its type's property schema. Each property gets
// the input its kind needs (sizes and addresses as text with suffixes, enums as selects, booleans as
// checkboxes, links as a choice of compatible objects), with its unit, default and the layer its
// value came from. Edits write explicit values into the board document; problems of the object and
// of each field show where they belong. Also: rename, delete, and where the object's regions are mapped.
import { useEffect, useState, type KeyboardEvent } from 'react';
import {
  effectiveType,
  formatSize,
  hex,
  isA,
  type BoardProblem,
  type PropertySpec,
  type PropertyValue,
  type PropertyValueDocument,
  type ResolvedBoard,
  type ResolvedObject,
  valueAtPointer,
} from '../../graph/index.ts';
import { notify } from '../notices.ts';
import { currentDocument, editDocument, redo, select, undo } from '../designer.ts';
import { FirmwareField } from './FirmwareField.tsx';
import { addMapping, deleteObject, referenceOf, renameObject, setProperty } from '../document-edit.ts';
import { useBoardLab } from '../store.ts';
import { useDesignBoard, useDesignDocument } from '../draft.ts';
import { relative } from '../views.ts';
import { connectionPlan, proposeAddress, regionSize } from '../wiring.ts';
import { ConnectPrompt, needsPrompt } from './ConnectPrompt.tsx';
import { deleteSelectedEdge, EdgeInspector } from './EdgeInspector.tsx';
import { ObjectConnections } from './ObjectConnections.tsx';
import { hasLiveRegisters, LiveRegisters } from './LiveRegisters.tsx';

function display(spec: PropertySpec, value: PropertyValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (spec.kind === 'address') return hex(value);
    if (spec.kind === 'size') return formatSize(value).replace(/ (K|M|G|T)iB$/, '$1').replace(/ B$/, '');
  }
  return String(value);
}

function describeDefault(spec: PropertySpec): string {
  if (spec.default === null) return 'none';
  if (typeof spec.default === 'number') {
    if (spec.kind === 'address') return hex(spec.default);
    if (spec.kind === 'size') return formatSize(spec.default);
  }
  return String(spec.default);
}

/** What the user typed, as the document value: plain decimal integers as numbers, the rest as text for the resolver. */
function documentValue(spec: PropertySpec, text: string): PropertyValueDocument {
  const trimmed = text.trim();
  if (spec.kind === 'string' || spec.kind === 'enum') return trimmed;
  if (spec.kind === 'link') return trimmed === '' ? null : trimmed;
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

function TextField({ value, onCommit, testId, invalid }: { value: string; onCommit: (text: string) => void; testId: string; invalid: boolean }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const key = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') onCommit(text);
    if (event.key === 'Escape') setText(value);
  };
  return (
    <input
      className={`inspector__input ${invalid ? 'inspector__input--invalid' : ''}`}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={key}
      onBlur={() => {
        if (text !== value) onCommit(text);
      }}
      data-testid={testId}
      // Typed but not committed: Ctrl+Z undoes the typing (the input's own undo), not the document.
      data-dirty={text !== value ? 'true' : undefined}
      aria-invalid={invalid || undefined}
      spellCheck={false}
    />
  );
}

/**
 * Ctrl+Z / Cmd+Z in the inspector undoes the designer's last document edit (Ctrl+Shift+Z or Ctrl+Y
 * redoes), as on the canvas — except in a text field with uncommitted typing, which undoes its own text.
 */
function undoKeys(event: KeyboardEvent<HTMLElement>): void {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const isUndo = mod && key === 'z' && !event.shiftKey;
  const isRedo = mod && ((key === 'z' && event.shiftKey) || key === 'y');
  if (!isUndo && !isRedo) return;
  if (event.target instanceof HTMLElement && event.target.dataset.dirty === 'true') return;
  event.preventDefault();
  if (isUndo) undo();
  else redo();
}

function PropertyRow({ object, spec, board, problems, draft }: { object: ResolvedObject; spec: PropertySpec; board: ResolvedBoard; problems: BoardProblem[]; draft: unknown }) {
  const value = object.props[spec.name] ?? null;
  const origin = object.origins[spec.name];
  const pointer = origin?.pointer ?? `${object.pointer}/props/${spec.name}`;
  const explicitPointer = `${object.pointer}/props/${spec.name}`;
  const at = (p: BoardProblem, where: string) => p.pointer === where || p.pointer.startsWith(`${where}/`);
  const fieldProblems = problems.filter((p) => at(p, pointer) || at(p, explicitPointer));
  // A value the document holds but that does not resolve stays in the field, beside its error, until fixed or undone.
  const typed = fieldProblems.length > 0 ? valueAtPointer(draft, explicitPointer) : undefined;
  const shown = typeof typed === 'string' || typeof typed === 'number' || typeof typed === 'boolean' ? String(typed) : display(spec, value);
  const write = (next: PropertyValueDocument | undefined) => void editDocument((document) => setProperty(document, object.path, spec.name, next));
  const testId = `prop-${spec.name}`;
  let input;
  switch (spec.kind) {
    case 'bool':
      input = <input type="checkbox" checked={value === true} onChange={(event) => write(event.target.checked)} data-testid={testId} />;
      break;
    case 'enum':
      input = (
        <select value={String(value ?? '')} onChange={(event) => write(event.target.value)} data-testid={testId}>
          {(spec.values ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
      break;
    case 'link': {
      const candidates = board.objects.filter((o) => o.path !== object.path && (spec.linkTo === undefined || isA(o.type, spec.linkTo)));
      const current = typeof value === 'string' ? value : '';
      input = (
        <select value={candidates.some((c) => c.path === current) ? current : current === '' ? '' : current} onChange={(event) => write(event.target.value === '' ? null : referenceOf(event.target.value))} data-testid={testId}>
          <option value="">(none)</option>
          {current !== '' && !candidates.some((c) => c.path === current) && <option value={current}>{current}</option>}
          {candidates.map((c) => (
            <option key={c.path} value={c.path}>
              {relative(c.path)} ({c.type})
            </option>
          ))}
        </select>
      );
      break;
    }
    default:
      input = <TextField value={shown} onCommit={(text) => write(text.trim() === '' ? undefined : documentValue(spec, text))} testId={testId} invalid={fieldProblems.length > 0} />;
  }
  const layer = origin?.layer ?? 'default';
  return (
    <div className={`inspector__prop ${fieldProblems.length > 0 ? 'inspector__prop--invalid' : ''}`} data-testid={`field-${spec.name}`}>
      <label className="inspector__label" title={spec.doc}>
        {spec.name}
        {spec.unit && <span className="inspector__unit"> ({spec.unit})</span>}
        {spec.descriptive && (
          <span className="inspector__descriptive" data-testid={`descriptive-${spec.name}`} title={spec.descriptive} aria-label={`descriptive: ${spec.descriptive}`}>
            descriptive
          </span>
        )}
      </label>
      <div className="inspector__control">
        {input}
        {origin?.pointer !== undefined && origin.pointer.startsWith('/objects/') && (
          <button type="button" className="small inspector__clear" title="Clear the explicit value (back to the layered default)" aria-label={`Clear ${spec.name} (back to its default)`} onClick={() => write(undefined)}>
            ×
          </button>
        )}
      </div>
      <div className="inspector__meta">
        <span className={`layer layer--${layer}`} data-testid={`origin-${spec.name}`} title={origin?.source}>
          {layer}
          {origin && layer !== 'default' && origin.source !== 'board' ? ` · ${origin.source}` : ''}
        </span>
        <span className="inspector__default">default {describeDefault(spec)}</span>
        {spec.kind === 'size' && typeof value === 'number' && typed === undefined && <span className="inspector__default">= {formatSize(value)}</span>}
      </div>
      {fieldProblems.map((p, i) => (
        <div className="inspector__error" key={i} data-testid="field-problem" role="alert">
          {p.message}
        </div>
      ))}
    </div>
  );
}

function Regions({ object, board }: { object: ResolvedObject; board: ResolvedBoard }) {
  const regions = effectiveType(object.type)?.regions ?? [];
  // "Map" asks where, proposing what dragging from the bus would (the machine type's address).
  const [mappingRegion, setMapping] = useState<string | null>(null);
  if (regions.length === 0) return null;
  const setAt = (region: string, text: string) => {
    const reference = `${referenceOf(object.path)}.${region}`;
    void editDocument((document) => {
      const memory = document.memory ?? [];
      const index = memory.findIndex((m) => m.map === reference);
      const at = text.trim();
      if (at === '') return index < 0 ? undefined : { ...document, memory: memory.filter((_, i) => i !== index) };
      if (index < 0) {
        const number = Number(at);
        return Number.isFinite(number) ? addMapping(document, reference, number) : { ...document, memory: [...memory, { map: reference, at }] };
      }
      return { ...document, memory: memory.map((m, i) => (i === index ? { ...m, at } : m)) };
    });
  };
  return (
    <div className="inspector__section">
      <div className="inspector__heading">Regions</div>
      {regions.map((region) => {
        const mapping = board.memory.find((m) => m.object === object.path && m.region === region.name);
        const size = mapping?.size ?? regionSize(object, region.name);
        return (
          <div className="inspector__prop" key={region.name} data-testid={`region-${region.name}`}>
            <label className="inspector__label" title={region.doc}>
              {region.name} <span className="inspector__unit">({region.kind}, {formatSize(size)})</span>
            </label>
            <div className="inspector__control">
              <TextField value={mapping ? hex(mapping.base) : ''} onCommit={(text) => setAt(region.name, text)} testId={`map-at-${region.name}`} invalid={false} />
              {!mapping && (
                <button type="button" className="small" data-testid={`map-${region.name}`} onClick={() => setMapping(region.name)} title={`Map it (proposed: ${hex(proposeAddress(board, object, region.name).at)})`}>
                  Map
                </button>
              )}
            </div>
            <div className="inspector__meta">{mapping ? `mapped ${hex(mapping.base)} – ${hex(mapping.base + mapping.size - 1)}` : 'not mapped'}</div>
            {!mapping && mappingRegion === region.name && (() => {
              const plan = connectionPlan('memory', board, { source: 'space:system', sourceHandle: 'out:map', target: `${object.path}.${region.name}`, targetHandle: 'in:map' });
              return needsPrompt(plan) ? <ConnectPrompt plan={plan} board={board} onDone={() => setMapping(null)} /> : null;
            })()}
          </div>
        );
      })}
    </div>
  );
}

function NameField({ object }: { object: ResolvedObject }) {
  const rename = (name: string) => {
    const document = currentDocument();
    if (!document) return;
    const result = renameObject(document, object.path, name.trim());
    if (!result.ok) {
      notify(`cannot rename: ${result.reason}`);
      return;
    }
    void editDocument(() => result.document).then(() => select(`${object.path.slice(0, object.path.lastIndexOf('/'))}/${name.trim()}`));
  };
  return <TextField value={object.name} onCommit={rename} testId="inspector-name" invalid={false} />;
}

export function deleteSelected(): void {
  const { selection, board, selectedEdge } = useBoardLab.getState();
  if (!selection && selectedEdge) deleteSelectedEdge();
  if (!selection) return;
  const object = board?.resolved.objects.find((o) => o.path === selection);
  const inherited = object !== undefined && !object.pointer.startsWith('/objects/');
  void editDocument((document) => deleteObject(document, selection, inherited));
  select(null);
}

export function Inspector() {
  const selection = useBoardLab((s) => s.selection);
  const report = useBoardLab((s) => s.problems);
  const design = useDesignBoard();
  const resolved = design.resolved;
  const designDocument = useDesignDocument();
  const draft = design.draft ? (designDocument ?? undefined) : undefined;
  const object = resolved?.objects.find((o) => o.path === selection);
  const selectedEdge = useBoardLab((s) => s.selectedEdge);
  if (resolved && !object && selectedEdge) return <EdgeInspector board={resolved} entry={selectedEdge} />;
  if (!resolved || !object) {
    return (
      <aside className="inspector inspector--empty" data-testid="inspector">
        <div className="inspector__empty">Select an object to inspect it, or drag a type from the palette onto a view.</div>
      </aside>
    );
  }
  const type = effectiveType(object.type);
  const problems = report?.text !== undefined ? report.problems : [];
  const own = problems.filter((p) => p.pointer === object.pointer || p.pointer.startsWith(`${object.pointer}/`));
  const fieldPointers = new Set((type?.props ?? []).flatMap((spec) => [object.origins[spec.name]?.pointer ?? `${object.pointer}/props/${spec.name}`, `${object.pointer}/props/${spec.name}`]));
  const objectLevel = own.filter((p) => ![...fieldPointers].some((f) => p.pointer === f || p.pointer.startsWith(`${f}/`)));
  return (
    <aside className="inspector" data-testid="inspector" onKeyDown={undoKeys}>
      <div className="inspector__head">
        <NameField key={object.path} object={object} />
        <button type="button" className="small" data-testid="inspector-delete" onClick={deleteSelected} title="Delete (Del)">
          Delete
        </button>
      </div>
      <div className="inspector__type" data-testid="inspector-type">
        {object.type} · {relative(object.path)}
        {object.source !== 'board' && <span className="chip">from {object.source}</span>}
      </div>
      {type?.doc && <div className="inspector__doc">{type.doc}</div>}
      {objectLevel.map((p, i) => (
        <div className="inspector__error" key={i} data-testid="object-problem">
          {p.message}
          {p.hint && <div className="inspector__hint">{p.hint}</div>}
        </div>
      ))}
      {/* Keys unique among siblings (React keeps a stale copy of a child whose key another child repeats). */}
      {isA(object.type, 'cpu') && <FirmwareField key={`firmware ${object.path}`} cpu={object.path} />}
      {hasLiveRegisters(object.type) && <LiveRegisters key={`registers ${object.path}`} path={object.path} type={object.type} />}
      <div className="inspector__section">
        <div className="inspector__heading">Properties</div>
        {(type?.props ?? []).length === 0 && <div className="inspector__doc">This type has no properties.</div>}
        {(type?.props ?? []).map((spec) => (
          <PropertyRow key={`${object.path}:${spec.name}`} object={object} spec={spec} board={resolved} problems={problems} draft={draft} />
        ))}
      </div>
      <Regions object={object} board={resolved} />
      <ObjectConnections object={object} board={resolved} />
    </aside>
  );
}
