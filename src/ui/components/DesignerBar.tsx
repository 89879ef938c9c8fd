// The graph area's tabs (Overview and the four views), the designer's toolbar (undo/redo, new board,
// save, share link) and its keyboard shortcuts. Its messages show over the canvas (./Notices.tsx).
import { useEffect } from 'react';
import { machineTypeGroups } from '../machine-type-menu.ts';
import { notifyLink, notifyShareTooLong } from '../notices.ts';
import { copySelection, newBoardFromMachineType, newEmptyBoard, pasteClipboard, redo, saveBoardFile, shareBoard, showView, undo } from '../designer.ts';
import { useBoardLab, type DesignerView } from '../store.ts';
import { VIEW_NAMES, VIEW_TITLES } from '../views.ts';
import { deleteSelected } from './Inspector.tsx';

const TABS: readonly DesignerView[] = ['overview', ...VIEW_NAMES];
const TAB_TITLES: Readonly<Record<DesignerView, string>> = { overview: 'Overview', ...VIEW_TITLES };

export function ViewTabs() {
  const view = useBoardLab((s) => s.view);
  return (
    <div className="view-tabs" role="tablist">
      {TABS.map((tab) => (
        <button key={tab} type="button" role="tab" aria-selected={view === tab} className={`view-tab ${view === tab ? 'view-tab--active' : ''}`} onClick={() => showView(tab)} data-testid={`tab-${tab}`}>
          {TAB_TITLES[tab]}
        </button>
      ))}
    </div>
  );
}

export function DesignerToolbar() {
  const canUndo = useBoardLab((s) => s.canUndo);
  const canRedo = useBoardLab((s) => s.canRedo);
  // The link goes to the clipboard; where there is none (or it refuses), it shows selected for copying
  // by hand. A board whose firmware makes the link too long is offered as a file instead.
  const share = async () => {
    const result = await shareBoard();
    if (!result.ok) {
      notifyShareTooLong(result.length, result.limit);
      return;
    }
    const url = result.url;
    let copied = false;
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(url);
        copied = true;
      }
    } catch {
      // not allowed: copied stays false
    }
    notifyLink(url, copied);
  };
  return (
    <div className="designer-toolbar">
      <button type="button" className="small" disabled={!canUndo} onClick={undo} title="Undo (Ctrl+Z)" data-testid="undo">
        Undo
      </button>
      <button type="button" className="small" disabled={!canRedo} onClick={redo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
        Redo
      </button>
      <select
        className="small"
        value=""
        onChange={(event) => {
          const value = event.target.value;
          if (value === 'empty') void newEmptyBoard();
          else if (value) void newBoardFromMachineType(value);
        }}
        data-testid="new-board"
        title="New board"
      >
        <option value="" disabled>
          New…
        </option>
        <option value="empty">empty board</option>
        {machineTypeGroups().map((group) => (
          <optgroup key={group.label} label={`from a machine type · ${group.label}`}>
            {group.entries.map((entry) => (
              <option key={entry.id} value={entry.id} title={entry.doc}>
                {entry.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <button type="button" className="small" onClick={saveBoardFile} title="Save the board document as a file" data-testid="save-board">
        Save
      </button>
      <button type="button" className="small" onClick={() => void share()} title="A link that carries this board" data-testid="share">
        Share
      </button>
    </div>
  );
}

function editingText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.closest('.monaco-editor, .xterm') !== null;
}

/** Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y), Delete, Ctrl+C / Ctrl+V — outside text fields, the editor and the terminal. */
export function useDesignerShortcuts(): void {
  useEffect(() => {
    const key = (event: KeyboardEvent) => {
      if (editingText(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const k = event.key.toLowerCase();
      if (mod && k === 'z' && !event.shiftKey) undo();
      else if (mod && ((k === 'z' && event.shiftKey) || k === 'y')) redo();
      else if (mod && k === 'c') {
        if (!copySelection()) return;
      } else if (mod && k === 'v') pasteClipboard();
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace') && (useBoardLab.getState().selection || useBoardLab.getState().selectedEdge)) deleteSelected();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);
}
