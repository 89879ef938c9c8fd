// Each committed ARM firmware runs to completion on Debian's qemu-system-arm (mps2-an385, Cortex-M3,
// semihosting on) with the exit status it is meant to end with and no FAIL line; conformance
// programs pass every check. When BoardLab's catalog has the mps2-an385 machine type, BoardLab must
// print the same bytes (UART on stdout, semihosting console on stderr) and end with the same status:
// that comparison exists exactly when the machine type does (a capability, not a skip).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  armFirmwarePrograms, armProgramSetup, ARMV6M_MACHINE, ARMV6M_PROGRAMS, boardLabHasArmMachine, EXPECTED_ARM_STATUS, isArmComparedWithQemu, publicArmFirmwareDir,
  runArmOnBoardLab, runArmOnQemu, type ArmGuestRun,
} from './run-reference.ts';
import { RunPool } from '../guest-process.ts';
import { publicFirmwareDir, runOnQemuAsync } from '../run-reference.ts';

/** What QEMU is known to print for some programs (from the programs' sources), so a broken reference is caught too. */
const EXPECTED_ON_QEMU: Record<string, { stdout: string; stderr?: string }> = {
  hello: { stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', stderr: '' },
  'uart-echo': { stdout: "uart-echo: type something, 'q' quits\nhello, echo\nsecond line\n\nbye\n", stderr: '' },
  'systick-blinky': {
    stdout: 'systick-blinky: LED0 toggles every 50 ms of SysTick, 6 times\n' +
      'LED on  (FPGAIO LED0 = 0x00000001)\nLED off (FPGAIO LED0 = 0x00000000)\n'.repeat(3) +
      'systick-blinky: 30 ticks, SysTick off\n',
    stderr: '',
  },
  'semihost-hello': {
    stdout: 'semihost-hello: SYS_WRITE to :tt\n',
    stderr: 'semihost-hello: SYS_WRITE0\nsemihost-hello: SYS_WRITEC\nSYS_OPEN gave a handle\nSYS_WRITE wrote everything\n' +
      'SYS_CLOCK answered\nSYS_HEAPINFO heap 0x21000000-0x22000000 stack 0x22000000-0x21000000\nsemihost-hello: exit status 5\n',
  },
};

/** Emulator processes at a time (two cores are shared). */
const PARALLEL_RUNS = 2;
const pool = new RunPool(PARALLEL_RUNS);
const limited = <T>(job: () => Promise<T>): Promise<T> => pool.run(job);

const runs = new Map<string, Promise<ArmGuestRun>>();
function start(key: string, job: () => Promise<ArmGuestRun>): void {
  const promise = limited(job);
  promise.catch(() => {}); // reported by the test that awaits it
  runs.set(key, promise);
}

const show = (bytes: Buffer): string => JSON.stringify(bytes.toString('latin1'));
const failLines = (run: ArmGuestRun): string[] =>
  `${run.stdout.toString('latin1')}${run.stderr.toString('latin1')}`.split('\n').filter((line) => line.startsWith('FAIL'));

const programs = armFirmwarePrograms();
const onQemu = programs.filter(isArmComparedWithQemu);
const compareWithBoardLab = boardLabHasArmMachine();
for (const name of onQemu) {
  const elf = join(publicArmFirmwareDir, `${name}.elf`);
  start(`qemu ${name}`, () => runArmOnQemu(elf, armProgramSetup(name)));
  if (compareWithBoardLab) start(`boardlab ${name}`, () => runArmOnBoardLab(elf, armProgramSetup(name)));
}
const onBoardLabM0 = programs.filter((name) => ARMV6M_PROGRAMS.has(name));
for (const name of onBoardLabM0) {
  start(`boardlab-m0 ${name}`, () => runArmOnBoardLab(join(publicArmFirmwareDir, `${name}.elf`), { ...armProgramSetup(name), boardLabMachine: ARMV6M_MACHINE }));
}

describe.each(onQemu)('arm/%s.elf', (name) => {
  const qemuRun = () => runs.get(`qemu ${name}`)!;
  const expectedStatus = EXPECTED_ARM_STATUS[name] ?? 0;

  test(`QEMU runs it to completion: exit status ${expectedStatus}, no FAIL line`, async () => {
    const qemu = await qemuRun();
    expect(failLines(qemu), 'FAIL lines on QEMU, the reference').toEqual([]);
    expect(qemu.status, `exit status; stdout ${show(qemu.stdout)}, stderr ${show(qemu.stderr)}`).toBe(expectedStatus);
    if (name.startsWith('conf-')) {
      expect(qemu.stdout.toString('latin1'), 'a conformance program ends with its summary').toMatch(new RegExp(`\\n${name}: [1-9][0-9]* passed, 0 failed\\n$`));
    }
  });

  const expected = EXPECTED_ON_QEMU[name];
  if (expected !== undefined) {
    test('QEMU prints the expected bytes', async () => {
      const qemu = await qemuRun();
      expect(qemu.stdout.toString('latin1')).toBe(expected.stdout);
      if (expected.stderr !== undefined) expect(qemu.stderr.toString('latin1')).toBe(expected.stderr);
    });
  }

  if (compareWithBoardLab) {
    test('BoardLab (-M mps2-an385) matches QEMU: same UART and semihosting bytes, same exit status', async () => {
      const [qemu, boardlab] = await Promise.all([qemuRun(), runs.get(`boardlab ${name}`)!]);
      expect(boardlab.stdout.equals(qemu.stdout), `stdout differs: QEMU ${show(qemu.stdout)}, BoardLab ${show(boardlab.stdout)}`).toBe(true);
      expect(boardlab.stderr.equals(qemu.stderr), `stderr (semihosting console) differs: QEMU ${show(qemu.stderr)}, BoardLab ${show(boardlab.stderr)}`).toBe(true);
      expect(boardlab.status, `exit status: QEMU ${qemu.status}, BoardLab ${boardlab.status}`).toBe(qemu.status);
    });
  }
});

// bench-quick is firmware/bench-quick's sources built for Cortex-M3: every kernel must compute on
// qemu-system-arm what the RISC-V build computes on qemu-system-riscv32 (the same C, two compilers
// and two architectures), so the ARM half of `npm run bench` times the same work.
describe('arm/bench-quick.elf against the RISC-V build', () => {
  test('qemu-system-arm prints the same kernel results as qemu-system-riscv32 runs from firmware/bench-quick', async () => {
    const [arm, riscv] = await Promise.all([
      runs.get('qemu bench-quick')!,
      limited(() => runOnQemuAsync(join(publicFirmwareDir, 'bench-quick.elf'))),
    ]);
    expect(riscv.status, 'the RISC-V bench-quick exits with 0 on QEMU').toBe(0);
    expect(riscv.stdout.toString('latin1'), 'the RISC-V bench-quick prints a result line per kernel').toMatch(/^(\S+: \d+ iterations, result 0x[0-9a-f]{8}\n){4}$/);
    expect(arm.stdout.toString('latin1')).toBe(riscv.stdout.toString('latin1'));
    expect(arm.stderr.toString('latin1')).toBe('');
  });
});

// ARMv6-M programs have no QEMU to compare with (QEMU 7.2's mps2-an385 takes only the Cortex-M3):
// they run on BoardLab's Cortex-M0+ board and check themselves against the ARMv6-M ARM's definitions.
describe.each(onBoardLabM0)(`arm/%s.elf on ${ARMV6M_MACHINE} (Cortex-M0+)`, (name) => {
  test('passes every check and exits with 0', async () => {
    const run = await runs.get(`boardlab-m0 ${name}`)!;
    expect(failLines(run), 'FAIL lines').toEqual([]);
    expect(run.stdout.toString('latin1'), 'a conformance program ends with its summary').toMatch(new RegExp(`\\n${name}: [1-9][0-9]* passed, 0 failed\\n$`));
    expect(run.status, `exit status; stderr ${show(run.stderr)}`).toBe(0);
  });
});
