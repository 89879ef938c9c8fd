// `boardlab run -M mps2-an385 -S -gdb tcp::PORT` with Debian's real gdb-multiarch on an ARM guest
// (public/firmware/arm/gdb-demo.elf, built with -g -O0 from firmware/arm/gdb-demo): break at a
// function, step into a call, print globals, locals and arguments, backtrace from inside an SVC
// handler through the exception frame (gdb unwinds it from EXC_RETURN in lr because the target
// description is M-profile), step out of the handler back to thread code, continue to the
// semihosting exit; hardware watchpoints and breakpoints, one inside the handler. The same gdb
// commands run against qemu-system-arm -M mps2-an385 -S -gdb, and gdb must print the same on both.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, gdbBatch, waitUntilListening } from './testing/gdb-session.ts';

const root = new URL('../../', import.meta.url).pathname;
const demoElf = join(root, 'public/firmware/arm/gdb-demo.elf');
/** The ELF's DWARF names its sources relative to firmware/arm (the build maps the directory to "."). */
const sourceDir = join(root, 'firmware/arm');
const SEMIHOSTING = ['-semihosting-config', 'enable=on,target=native'];

interface Emulator {
  port: number;
  /** What the guest printed on UART0, and the exit status, once the emulator has ended. */
  ended: Promise<{ stdout: string; status: number | null }>;
  kill(): void;
}

/** Start an emulator paused with a GDB stub on a free port, and wait until it listens. */
async function startPaused(command: string, args: (port: number) => string[]): Promise<Emulator> {
  const port = await freePort();
  const child = spawn(command, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (data) => (stdout += data));
  const ended = new Promise<{ stdout: string; status: number | null }>((resolve) => child.on('exit', (status) => resolve({ stdout, status })));
  if (!(await waitUntilListening(port))) {
    child.kill();
    throw new Error(`${command} did not listen on ${port}`);
  }
  return { port, ended, kill: () => child.kill() };
}

const onBoardLab = () => startPaused(process.execPath, (port) => [join(root, 'bin/boardlab.js'), 'run', '-M', 'mps2-an385', ...SEMIHOSTING, '-kernel', demoElf, '-S', '-gdb', `tcp::${port}`]);
const onQemu = () => startPaused('qemu-system-arm', (port) => ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', ...SEMIHOSTING, '-kernel', demoElf, '-S', '-gdb', `tcp:127.0.0.1:${port}`]);

/** gdb's session on BoardLab and on QEMU with the same commands; each emulator's end. */
async function debugOnBoth(commands: readonly string[]) {
  const [boardlab, qemu] = await Promise.all([onBoardLab(), onQemu()]);
  try {
    const [gdb, gdbOnQemu] = await Promise.all([gdbBatch(demoElf, boardlab.port, commands, sourceDir), gdbBatch(demoElf, qemu.port, commands, sourceDir)]);
    return { gdb, gdbOnQemu, boardlab: await boardlab.ended, qemu: await qemu.ended };
  } finally {
    boardlab.kill();
    qemu.kill();
  }
}

/** gdb names the inferior after QEMU's multiprocess ids ("process 1") and after BoardLab's stub ("Remote target"). */
const comparable = (text: string) => text.replace(/\[Inferior 1 \((process \d+|Remote target)\)/g, '[Inferior 1');

describe('gdb-multiarch on an ARM guest (mps2-an385)', () => {
  it('breaks, steps, prints variables, backtraces through an SVC exception frame, and continues to the exit, as on QEMU', async () => {
    const { gdb, gdbOnQemu, boardlab, qemu } = await debugOnBoth([
      'info registers pc',
      'break fill',
      'continue',
      'print counter',
      'next',
      'step',
      'print value',
      'break record_svc',
      'continue',
      'backtrace',
      'print weight',
      'print/x $lr',
      'finish',
      'print svc_calls',
      'up',
      'print/x $pc',
      'up',
      'frame 0',
      'delete',
      'next',
      'next',
      'backtrace',
      'continue',
    ]);
    // attached before the first instruction: the reset handler, from the vector table
    expect(gdb).toMatch(/^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <reset_handler>$/m);
    expect(gdb).toMatch(/Breakpoint 1, fill \(\) at gdb-demo\/gdb-demo\.c:25\n25\t/);
    expect(gdb).toMatch(/^\$1 = 42$/m); // counter, incremented by main before fill()
    expect(gdb).toMatch(/^26\t {8}squares\[i\] = square\(i\);$/m); // next
    expect(gdb).toMatch(/^square \(value=0\) at gdb-demo\/gdb-demo\.c:17$/m); // step into the call
    expect(gdb).toMatch(/^\$2 = 0$/m);
    // inside the SVC handler's callee: the handler, the exception frame, then the thread code that took the SVC
    expect(gdb).toMatch(/Breakpoint 2, record_svc \(weight=3\) at gdb-demo\/gdb-demo\.c:31\n/);
    expect(gdb).toMatch(new RegExp([
      '#0  record_svc \\(weight=3\\) at gdb-demo/gdb-demo\\.c:31',
      '#1  0x[0-9a-f]+ in svc_handler \\(\\) at gdb-demo/gdb-demo\\.c:36',
      '#2  <signal handler called>',
      '#3  request_service \\(\\) at gdb-demo/gdb-demo\\.c:42',
      '#4  0x[0-9a-f]+ in main \\(\\) at gdb-demo/gdb-demo\\.c:51',
    ].join('\n')));
    expect(gdb).toMatch(/^\$3 = 3$/m); // the argument
    expect(gdb).toMatch(/^\$5 = 3$/m); // svc_calls after record_svc returned (finish)
    expect(gdb).toMatch(/^#1 {2}<signal handler called>$/m); // up from the handler: the exception frame, pc = EXC_RETURN
    expect(gdb).toMatch(/^\$6 = 0xfffffff9$/m);
    expect(gdb).toMatch(/^#2 {2}request_service \(\) at gdb-demo\/gdb-demo\.c:42$/m);
    // back in the handler (frame 0, line 37), next, next: through the exception return into request_service, then main
    expect(gdb).toMatch(/^main \(\) at gdb-demo\/gdb-demo\.c:52\n52\t/m);
    expect(gdb).toMatch(/^#0 {2}main \(\) at gdb-demo\/gdb-demo\.c:52$/m);
    expect(gdb).toMatch(/\[Inferior 1 \(Remote target\) exited normally\]/);
    expect(gdb).not.toMatch(/Remote communication error|Remote connection closed|Cannot access memory|warning: /);
    // what QEMU's stub shows gdb, line for line
    expect(comparable(gdb)).toBe(comparable(gdbOnQemu));
    expect(boardlab).toEqual({ stdout: 'gdb-demo: total 140, svc calls 3\n', status: 0 });
    expect(boardlab).toEqual(qemu);
  }, 120_000);

  it('stops at rwatch, awatch, hbreak and watch where QEMU stops, a watchpoint inside the SVC handler included', async () => {
    const { gdb, gdbOnQemu } = await debugOnBoth([
      'rwatch counter',
      'continue',
      'delete',
      'awatch squares[7]',
      'continue',
      'continue',
      'delete',
      'hbreak request_service',
      'continue',
      'delete',
      'watch svc_calls',
      'continue',
      'backtrace',
      'delete',
      'continue',
    ]);
    expect(gdb).toMatch(/Hardware read watchpoint 1: counter\n\nValue = 41\n0x[0-9a-f]+ in main \(\) at gdb-demo\/gdb-demo\.c:47\n/);
    expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 2: squares\[7\]\n\nOld value = 0\nNew value = 49\n/); // fill() stores square(7)
    expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 2: squares\[7\]\n\nValue = 49\n0x[0-9a-f]+ in main \(\)/); // main's sum reads it
    expect(gdb).toMatch(/Breakpoint 3, request_service \(\) at gdb-demo\/gdb-demo\.c:41\n/);
    expect(gdb).toMatch(/Hardware watchpoint 4: svc_calls\n\nOld value = 0\nNew value = 3\nrecord_svc \(weight=3\)/);
    expect(gdb).toMatch(/#1 {2}0x[0-9a-f]+ in svc_handler \(\) at gdb-demo\/gdb-demo\.c:36\n#2 {2}<signal handler called>\n#3 {2}request_service \(\)/);
    expect(gdb).toMatch(/\[Inferior 1 \(Remote target\) exited normally\]/);
    expect(comparable(gdb)).toBe(comparable(gdbOnQemu));
  }, 120_000);

  it('shows the M-profile system registers in the handler: msp is the sp, IPSR is 11 (SVCall), thread mode used the MSP', async () => {
    // QEMU 7.2's description has no m-system feature (gdb prints void for these there), so only BoardLab's side is checked.
    const boardlab = await onBoardLab();
    try {
      const gdb = await gdbBatch(demoElf, boardlab.port, ['break svc_handler', 'continue', 'p/x $xpsr & 0x1ff', 'p $msp == $sp', 'p/x $psp', 'p $primask', 'p $basepri', 'p $faultmask', 'p/x $control', 'p/x $lr', 'kill'], sourceDir);
      expect(gdb).toMatch(/Breakpoint 1, svc_handler \(\) at gdb-demo\/gdb-demo\.c:36/);
      expect(gdb).toMatch(/^\$1 = 0xb\n\$2 = 1\n\$3 = 0x0\n\$4 = 0\n\$5 = 0\n\$6 = 0\n\$7 = 0x0\n\$8 = 0xfffffff9$/m);
    } finally {
      boardlab.kill();
    }
  }, 60_000);
});
