// Each committed firmware must behave the same on Debian's QEMU and on BoardLab:
// byte-identical UART output and the same exit status. Programs that need more than
// `-M virt -kernel` (stdin, -smp, a board file, a QEMU CPU model) say so in run-reference.ts;
// the conformance programs may differ only in the checks KNOWN_DIFFERENCES lists.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BOARDLAB_ONLY, KNOWN_DIFFERENCES, OWN_REFERENCE_TEST, RUNS_FOREVER, firmwarePrograms, firstLinesOnBoardLab, firstLinesOnQemu, isBenchmarkOnly,
  programSetup, publicFirmwareDir, runOnBoardLabAsync, runOnQemuAsync, VERSION_DEPENDENT, type GuestRun,
} from './run-reference.ts';
import { RunPool } from './guest-process.ts';

/** What QEMU is known to print for some programs, so a broken reference is caught too. */
const EXPECTED_ON_QEMU: Record<string, { stdout: string; status: number }> = {
  hello: { stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', status: 0 },
  fail: { stdout: 'failing with code 3\n', status: 3 },
  echo: { stdout: "echo: type something, 'q' quits\nhello, echo\nsecond line\n\nbye\n", status: 0 },
  multihart: {
    stdout: 'multihart: hart 0 greets, waking harts 1-3 with IPIs\nhart 1 up\nhart 2 up\nhart 3 up\n' +
      'multihart: 3 other harts came up, IPI received on hart 0\n',
    status: 0,
  },
  tasks: {
    stdout: 'tasks: 3 tasks, round robin in 1 ms slices of the CLINT timer\n' +
      'alpha: step 1/3\nbeta: step 1/5\ngamma: step 1/4\nalpha: step 2/3\nbeta: step 2/5\ngamma: step 2/4\n' +
      'alpha: step 3/3\nbeta: step 3/5\ngamma: step 3/4\nbeta: step 4/5\ngamma: step 4/4\nbeta: step 5/5\n' +
      'tasks: all finished\n',
    status: 0,
  },
};

/** Emulator processes at a time (each BoardLab run is mostly Node start-up and compiling TypeScript). */
const PARALLEL_RUNS = 4;
const pool = new RunPool(PARALLEL_RUNS);
const limited = <T>(job: () => Promise<T>): Promise<T> => pool.run(job);

/** Every run starts when this module loads; tests await the ones they compare. */
const runs = new Map<string, Promise<GuestRun>>();
function start(key: string, job: () => Promise<GuestRun>): Promise<GuestRun> {
  const promise = limited(job);
  promise.catch(() => {}); // reported by the test that awaits it
  runs.set(key, promise);
  return promise;
}

const show = (bytes: Buffer): string => JSON.stringify(bytes.toString('latin1'));

/** The check a conformance output line reports: "PASS name" / "FAIL name got X want Y". */
function checkName(line: string): string | undefined {
  if (line.startsWith('PASS ')) return line.slice(5);
  if (line.startsWith('FAIL ')) {
    const got = line.lastIndexOf(' got ');
    return got > 5 ? line.slice(5, got) : line.slice(5);
  }
  return undefined;
}

const programs = firmwarePrograms();
const compared = programs.filter((name) => !RUNS_FOREVER.has(name) && !(name in BOARDLAB_ONLY) && !VERSION_DEPENDENT.has(name) && !isBenchmarkOnly(name) && !OWN_REFERENCE_TEST.has(name));
for (const name of compared) {
  const elf = join(publicFirmwareDir, `${name}.elf`);
  start(`qemu ${name}`, () => runOnQemuAsync(elf, programSetup(name)));
  start(`boardlab ${name}`, () => runOnBoardLabAsync(elf, programSetup(name)));
}
const LINES = 5;
const firstLines = new Map<string, Promise<[string[], string[]]>>();
for (const name of programs.filter((n) => RUNS_FOREVER.has(n))) {
  const elf = join(publicFirmwareDir, `${name}.elf`);
  const both = Promise.all([limited(() => firstLinesOnQemu(elf, LINES)), limited(() => firstLinesOnBoardLab(elf, LINES))]);
  both.catch(() => {});
  firstLines.set(name, both);
}

describe.each([...firstLines.keys()])('%s.elf (runs until stopped)', (name) => {
  test(`BoardLab prints the same first ${LINES} lines as QEMU`, async () => {
    const [qemu, boardlab] = await firstLines.get(name)!;
    expect(qemu, 'QEMU printed too few lines in its time').toHaveLength(LINES);
    expect(boardlab).toEqual(qemu);
  });
});

describe.each(compared)('%s.elf', (name) => {
  const expected = EXPECTED_ON_QEMU[name];
  const known = KNOWN_DIFFERENCES[name];
  const qemuRun = () => runs.get(`qemu ${name}`)!;
  const boardLabRun = () => runs.get(`boardlab ${name}`)!;

  if (expected !== undefined) {
    test('QEMU prints the expected output and exit status', async () => {
      const qemu = await qemuRun();
      expect(qemu.stdout.toString('latin1')).toBe(expected.stdout);
      expect(qemu.status).toBe(expected.status);
    });
  }

  if (name.startsWith('conf-')) {
    test('QEMU passes every check (the program expects what QEMU does)', async () => {
      const qemu = await qemuRun();
      const failed = qemu.stdout.toString('latin1').split('\n').filter((line) => line.startsWith('FAIL '));
      expect(failed, 'checks that fail on QEMU, the reference').toEqual([]);
      expect(qemu.status).toBe(0);
    });
  }

  if (known === undefined) {
    test('BoardLab matches QEMU: same UART bytes and exit status', async () => {
      const [qemu, boardlab] = await Promise.all([qemuRun(), boardLabRun()]);
      expect(boardlab.stdout.equals(qemu.stdout),
        `UART output differs: QEMU ${show(qemu.stdout)}, BoardLab ${show(boardlab.stdout)}` +
        (boardlab.stderr.length > 0 ? `; BoardLab stderr: ${boardlab.stderr.toString()}` : '')).toBe(true);
      expect(boardlab.status, `exit status: QEMU ${qemu.status}, BoardLab ${boardlab.status}`).toBe(qemu.status);
    });
    return;
  }

  test('BoardLab matches QEMU except the checks in KNOWN_DIFFERENCES', async () => {
    const [qemu, boardlab] = await Promise.all([qemuRun(), boardLabRun()]);
    const qemuLines = qemu.stdout.toString('latin1').split('\n');
    const boardLabLines = boardlab.stdout.toString('latin1').split('\n');
    expect(boardLabLines.length, `line count: QEMU ${show(qemu.stdout)}, BoardLab ${show(boardlab.stdout)}`).toBe(qemuLines.length);
    const unexpected: string[] = [];
    const stale: string[] = [];
    let boardLabFailures = 0;
    qemuLines.forEach((qemuLine, i) => {
      const boardLabLine = boardLabLines[i];
      if (boardLabLine.startsWith('FAIL ')) boardLabFailures++;
      const name = checkName(qemuLine);
      const listed = name !== undefined && Object.hasOwn(known, name);
      const summary = i === qemuLines.length - 2; // "<program>: N passed, M failed", then ""
      if (qemuLine === boardLabLine) {
        if (listed) stale.push(name);
      } else if (!(listed && checkName(boardLabLine) === name) && !summary) {
        unexpected.push(`QEMU: ${qemuLine}\n    BoardLab: ${boardLabLine}`);
      }
    });
    expect(unexpected, 'lines that differ and are not known differences').toEqual([]);
    expect(stale, 'KNOWN_DIFFERENCES lists checks BoardLab now gets right: remove them').toEqual([]);
    expect(boardlab.status, 'BoardLab exit status = its number of failed checks').toBe(boardLabFailures);
  });
});
