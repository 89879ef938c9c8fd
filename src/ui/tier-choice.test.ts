import { describe, expect, it } from 'vitest';
import { saveTier, startingTier } from './tier-choice.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('the tier the page starts on', () => {
  it('is the compiling tier by default', () => {
    expect(startingTier('', memoryStorage())).toBe('jit');
    expect(startingTier('', undefined)).toBe('jit');
  });

  it('is the saved choice after the user switched', () => {
    const storage = memoryStorage();
    saveTier(storage, 'interp');
    expect(startingTier('', storage)).toBe('interp');
    saveTier(storage, 'jit');
    expect(startingTier('?lesson=x.lesson.json', storage)).toBe('jit');
  });

  it('is the URL parameter of a teaching link, over the saved choice', () => {
    const storage = memoryStorage();
    saveTier(storage, 'jit');
    expect(startingTier('?tier=interp', storage)).toBe('interp');
    saveTier(storage, 'interp');
    expect(startingTier('?x=1&tier=jit', storage)).toBe('jit');
  });

  it('ignores a tier it does not know, in the URL or saved', () => {
    const storage = memoryStorage();
    storage.setItem('boardlab.runTier', 'turbo');
    expect(startingTier('?tier=fast', storage)).toBe('jit');
  });

  it('survives a storage that refuses (a private window)', () => {
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(() => saveTier(refusing, 'interp')).not.toThrow();
    expect(startingTier('', refusing)).toBe('jit');
  });
});
