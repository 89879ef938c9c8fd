import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_FORMAT, parseLesson, readLesson } from './lesson.ts';

const board = { boardlab: 1, name: 'b', objects: { cpu0: { type: 'rv32' } } };
const lesson = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ lessonFormat: 1, title: 'A lesson', board, steps, ...extra });
const step = (checks: unknown[]) => ({ title: 'Step', text: 'Do it.', checks });

function problems(document: unknown) {
  const result = readLesson(document);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('lesson format', () => {
  it('reads every lesson shipped in lessons/', () => {
    const dir = new URL('../../lessons/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.lesson.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const result = parseLesson(readFileSync(new URL(file, dir), 'utf8'));
      expect(result.ok ? [] : result.problems, file).toEqual([]);
    }
  });

  it('says exactly why a lesson of another version cannot load', () => {
    expect(problems({ ...lesson([step([])]), lessonFormat: LESSON_FORMAT + 1 })).toEqual([
      { pointer: '/lessonFormat', message: `this lesson is in format ${LESSON_FORMAT + 1}, newer than this BoardLab reads (${LESSON_FORMAT})`, hint: expect.stringContaining('newer BoardLab') },
    ]);
    expect(problems({ ...lesson([step([])]), lessonFormat: 0 })[0]).toMatchObject({ pointer: '/lessonFormat', message: 'lesson format 0 does not exist' });
    expect(problems({ ...lesson([step([])]), lessonFormat: '1' })[0]).toMatchObject({ pointer: '/lessonFormat', message: 'lesson format "1" does not exist' });
  });

  it('tells a board from a lesson, and a lesson without a format', () => {
    expect(problems(board)[0]).toMatchObject({ pointer: '/lessonFormat', message: expect.stringContaining('this is a board, not a lesson') });
    expect(problems({ title: 'x' })[0]).toMatchObject({ pointer: '/lessonFormat', message: 'not a lesson: "lessonFormat" is missing' });
    expect(problems([])[0]).toMatchObject({ pointer: '', message: 'a lesson is a JSON object' });
    expect(parseLesson('{"lessonFormat": 1,').ok).toBe(false);
  });

  it('points at a bad check with its own kind\'s complaint', () => {
    const found = problems(
      lesson([
        step([{ kind: 'object', type: 'ns16550a', message: 'fine' }]),
        step([
          { kind: 'blink', message: 'm' },
          { kind: 'irq', from: 'uart0', to: 'plic.in[10]', message: 'm' },
          { kind: 'object', type: 'plic' },
          { kind: 'mapped', region: 'ns16550a.regs', at: '0x1000', message: 'm', colour: 'red' },
        ]),
      ]),
    );
    expect(found).toEqual([
      { pointer: '/steps/1/checks/0/kind', message: 'unknown check kind "blink"', hint: expect.stringContaining('object, property, irq, mapped') },
      { pointer: '/steps/1/checks/1/from', message: 'not a port reference', hint: expect.stringContaining('"plic.in[10]"') },
      { pointer: '/steps/1/checks/2', message: '"message" is missing', hint: 'Every check has a message the student sees.' },
      { pointer: '/steps/1/checks/3/colour', message: 'unknown member "colour"', hint: 'Remove "colour" or check its spelling.' },
    ]);
  });

  it('finds what the schema cannot: a uart check with nothing to look for, a bad pattern', () => {
    expect(problems(lesson([step([{ kind: 'uart', message: 'm' }, { kind: 'uart', pattern: '(', message: 'm' }])]))).toEqual([
      { pointer: '/steps/0/checks/0', message: 'a uart check needs "text" or "pattern"', hint: expect.any(String) },
      { pointer: '/steps/0/checks/1/pattern', message: expect.stringContaining('not a regular expression'), hint: expect.any(String) },
    ]);
  });

  it('reports a bad starting board under /board, with the board\'s own pointer and hint', () => {
    const found = problems({ ...lesson([step([])]), board: { boardlab: 1, name: 'b', objects: { cpu0: { type: 'rv33' } } } });
    expect(found[0]).toMatchObject({ pointer: '/board/objects/cpu0/type', message: expect.stringContaining('the starting board: ') });
    expect(found[0].hint).not.toBe('');
  });

  it('needs at least one step, a title and a board', () => {
    const found = problems({ lessonFormat: 1, steps: [] });
    expect(found.map((p) => `${p.pointer} ${p.message}`).sort()).toEqual([' "board" is missing', ' "title" is missing', '/steps must NOT have fewer than 1 items']);
  });
});
