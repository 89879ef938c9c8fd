import { describe, expect, it } from 'vitest';
import { parsedDocument, useBoardLab } from './store.ts';

describe('the designer’s document in the store', () => {
  it('starts with no document', () => {
    expect(useBoardLab.getState().documentText).toBeNull();
    expect(useBoardLab.getState().documentSource).toBe('');
    expect(parsedDocument(useBoardLab.getState())).toBeNull();
  });

  it('parses the document text the store holds, and follows it when it changes', () => {
    useBoardLab.setState({ documentText: '{ "boardlab": 1, "name": "a", "objects": {} }', documentSource: 'a.board.json' });
    expect(parsedDocument(useBoardLab.getState())).toEqual({ boardlab: 1, name: 'a', objects: {} });
    useBoardLab.setState({ documentText: '{ "boardlab": 1, "name": "b", "objects": { "led0": { "type": "led" } } }' });
    expect(parsedDocument(useBoardLab.getState())?.name).toBe('b');
    expect(parsedDocument(useBoardLab.getState())?.objects).toEqual({ led0: { type: 'led' } });
  });

  it('a draft that is not JSON parses to null (the text itself is kept)', () => {
    useBoardLab.setState({ documentText: '{ "boardlab": 1, "name": ' });
    expect(parsedDocument(useBoardLab.getState())).toBeNull();
    expect(useBoardLab.getState().documentText).toBe('{ "boardlab": 1, "name": ');
  });
});
