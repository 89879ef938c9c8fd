// `boardlab lesson check`, through the real command: every shipped lesson's checks fail on its
// starting board and pass on its solution (src/cli/testing/lesson-solutions/<lesson>.board.json).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const lessonsDir = join(root, 'lessons');
const solutionsDir = join(root, 'src/cli/testing/lesson-solutions');

function boardlab(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/boardlab.js'), ...args], { encoding: 'utf8', cwd: root });
}

function temporary(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boardlab-lesson-')), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const lessons = readdirSync(lessonsDir).filter((f) => f.endsWith('.lesson.json'));

describe('boardlab lesson check', () => {
  it.each(lessons)('%s: every check FAILS on the starting board (exit 2)', (file) => {
    const run = boardlab('lesson', 'check', join('lessons', file));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
    const verdicts = run.stdout.split('\n').filter((line) => /^ {2}(pass|FAIL) /.test(line));
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.filter((line) => line.startsWith('  pass'))).toEqual([]);
  });

  it.each(lessons)('%s: every check PASSES on its solution (exit 0)', (file) => {
    const solution = join(solutionsDir, file.replace(/\.lesson\.json$/, '.board.json'));
    const run = boardlab('lesson', 'check', join('lessons', file), '--board', solution);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('  FAIL'))).toEqual([]);
    expect(run.stdout).toMatch(/^(\d+) of \1 checks pass$/m);
    expect(run.status).toBe(0);
  });

  it('prints per step which checks pass on a half-done answer', () => {
    const answer = temporary('half.board.json', {
      boardlab: 1,
      name: 'half',
      objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: '128M' } }, tty: { type: 'ns16550a' } },
      memory: [
        { map: 'ram.mem', at: '0x80000000' },
        { map: 'tty.regs', at: '0x10000000' },
      ],
      images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
    });
    const run = boardlab('lesson', 'check', 'lessons/01-hello.lesson.json', '--board', answer);
    expect(run.status).toBe(2);
    // it prints (no finisher: the firmware faults after its greeting), but does not stop the board
    expect(run.stdout).toContain('step 1: Add a UART\n  pass  The board has an NS16550A UART\n');
    expect(run.stdout).toContain('step 2: Map the UART where the firmware looks for it\n  pass  ');
    expect(run.stdout).toContain('  FAIL  The board has a PLIC\n');
    expect(run.stdout).toContain('  pass  The UART printed "Hello, BoardLab!"\n');
    expect(run.stdout).toContain('  FAIL  The firmware stopped the board with success');
    expect(run.stdout).toContain('3 of 7 checks pass\n');
  });

  it('input is typed one key at a time: lesson 03 with a handler that never completes at the PLIC echoes only the first key and fails', () => {
    const solution = JSON.parse(readFileSync(join(solutionsDir, '03-echo.board.json'), 'utf8'));
    const text: string = solution.sources['main.s'].text;
    const complete = '    sw t1, 0(t0)\n    mret';
    expect(text).toContain(complete);
    solution.sources['main.s'].text = text.replace(complete, '    mret');
    const run = boardlab('lesson', 'check', 'lessons/03-echo.lesson.json', '--board', temporary('no-complete.board.json', solution));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/ {2}FAIL /);
  });

  it('a bad lesson: one line per problem with a JSON Pointer and a hint, exit 1', () => {
    const file = temporary('bad.lesson.json', { lessonFormat: 1, title: 't', board: { boardlab: 1, name: 'b', objects: {} }, steps: [{ title: 's', text: '', checks: [{ kind: 'irq', from: 'uart', to: 'plic.in[10]', message: 'm' }] }] });
    const run = boardlab('lesson', 'check', file);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`boardlab: ${file}#/steps/0/checks/0/from: not a port reference. Write "<type or /path>.<port>" or "<type or /path>.<port>[line]", e.g. "ns16550a.irq" or "plic.in[10]".\n`);
  });

  it('a lesson from a newer BoardLab says so; a missing file and a bad limit are one line each', () => {
    const newer = temporary('newer.lesson.json', { lessonFormat: 99, title: 't' });
    expect(boardlab('lesson', 'check', newer).stderr).toBe(`boardlab: ${newer}#/lessonFormat: this lesson is in format 99, newer than this BoardLab reads (1). Open it in a newer BoardLab, or ask its author for a copy in an older format.\n`);
    const missing = boardlab('lesson', 'check', 'lessons/none.lesson.json');
    expect([missing.status, missing.stderr]).toEqual([1, 'boardlab: lessons/none.lesson.json: no such file\n']);
    const limit = boardlab('lesson', 'check', 'lessons/01-hello.lesson.json', '--max-time', 'soon');
    expect([limit.status, limit.stderr]).toEqual([1, 'boardlab: --max-time soon: write a virtual time such as 2s or 500ms\n']);
  });

  it('limits bound the run: with too few instructions the solution has not printed yet', () => {
    const run = boardlab('lesson', 'check', 'lessons/01-hello.lesson.json', '--board', join(solutionsDir, '01-hello.board.json'), '--max-instructions', '100');
    expect(run.stdout).toContain('run: the run reached its limit\n');
    expect(run.stdout).toContain('  FAIL  The UART printed "Hello, BoardLab!"\n');
    expect(run.status).toBe(2);
    const short = boardlab('lesson', 'check', 'lessons/01-hello.lesson.json', '--board', join(solutionsDir, '01-hello.board.json'), '--max-time', '1us');
    expect(short.stdout).toContain('run: the run reached its limit\n');
  });
});
