// The palette: every instantiable type of the catalog, by category, with a search and each type's
// doc. Drag a type onto a view to create an object there, or click + to add it. A type whose engine
// module failed to load (the worker fetches a module when a board first uses it) is shown disabled,
// with the reason, and cannot be dragged or added.
import { useMemo, useState, type DragEvent } from 'react';
import { listTypes } from '../../graph/index.ts';
import { useBoardLab } from '../store.ts';
import { cpuArchitectureOf } from '../views.ts';
import { createObject, PALETTE_MIME } from './BoardViews.tsx';

const CATEGORY_ORDER = ['cpu', 'memory', 'interrupt', 'timer', 'serial', 'io', 'display', 'misc'];

export function Palette() {
  const [query, setQuery] = useState('');
  const view = useBoardLab((s) => s.view);
  const modules = useBoardLab((s) => s.modules);
  const unavailableReason = (module: string | undefined): string | undefined => {
    const status = module === undefined ? undefined : modules[module];
    return status !== undefined && !status.available ? status.reason : undefined;
  };
  const types = useMemo(() => listTypes({ abstract: false }), []);
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const shown = types.filter((t) => q === '' || t.name.includes(q) || t.doc.toLowerCase().includes(q) || t.category.includes(q));
    const byCategory = new Map<string, typeof shown>();
    for (const t of shown) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
    return [...byCategory.entries()].sort((a, b) => CATEGORY_ORDER.indexOf(a[0]) - CATEGORY_ORDER.indexOf(b[0]));
  }, [types, query]);
  const dragStart = (event: DragEvent<HTMLDivElement>, type: string) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" data-testid="palette">
      <input className="palette__search" placeholder="Search types…" value={query} onChange={(event) => setQuery(event.target.value)} data-testid="palette-search" />
      <div className="palette__list">
        {groups.map(([category, list]) => (
          <div className="palette__group" key={category}>
            <div className="palette__category">{category}</div>
            {list.map((t) => {
              const unavailable = unavailableReason(t.module);
              // A CPU carries its architecture's colour, as its node and cluster do in the views.
              const architecture = cpuArchitectureOf(t.name);
              return (
                <div
                  className={`palette__item board-node--${t.category}${architecture ? ` arch--${architecture.slug}` : ''}${unavailable === undefined ? '' : ' palette__item--unavailable'}`}
                  key={t.name}
                  draggable={unavailable === undefined}
                  onDragStart={(event) => (unavailable === undefined ? dragStart(event, t.name) : event.preventDefault())}
                  title={unavailable === undefined ? t.doc : `Unavailable: ${unavailable}`}
                  aria-disabled={unavailable !== undefined}
                  data-testid={`palette-${t.name}`}
                  data-architecture={architecture?.slug}
                >
                  <span className="palette__name">{t.name}</span>
                  {architecture && <span className="palette__arch">{architecture.name}</span>}
                  <button
                    type="button"
                    className="palette__add"
                    title={unavailable === undefined ? `Add a ${t.name}` : `${t.name} is unavailable`}
                    aria-label={`Add a ${t.name}`}
                    disabled={unavailable !== undefined}
                    onClick={() => createObject(t.name, view === 'overview' ? null : view)}
                    data-testid={`palette-add-${t.name}`}
                  >
                    +
                  </button>
                  <div className="palette__doc">{t.doc}</div>
                  {unavailable !== undefined && (
                    <div className="palette__unavailable" data-testid={`palette-unavailable-${t.name}`}>
                      Unavailable: {unavailable}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        ))}
        {groups.length === 0 && <div className="inspector__doc">No type matches “{query}”.</div>}
      </div>
    </aside>
  );
}
