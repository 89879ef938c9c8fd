// The `boardlab run` command line: a board file or -M TYPE, QEMU's options where they exist
// (-M/-machine, -m, -smp, -cpu, -device, -global, -kernel, -bios, -serial, -S, -gdb, -qmp,
// -nographic), and BoardLab's own long options. QEMU's single-dash long options do not fit a
// general option parser, so this one is written for them.
import { qemuOptionKind } from '../graph/index.ts';
import { InputError } from './board-files.ts';
import type { RunOptions } from './run.ts';
import { parseTier } from './tier-option.ts';

export const RUN_USAGE = `Usage: boardlab run [BOARD] [options]

Run a board headless: UART output on stdout, stdin into the UART, exit status from the finisher.

  BOARD                     a board document (.board.json or config file)
  -M, -machine TYPE         a machine type instead of a board file (riscv-virt, riscv-virt@1.0, boardlab-mcu,
                            virt, mps2-an385, boardlab-m0)
  --firmware FILE, -kernel FILE   ELF image for the first CPU (with -M)
  -m SIZE  -smp N  -cpu MODEL,...  -device TYPE,id=NAME,...  -global TYPE.PROP=VALUE
                            as in QEMU (with -M); -device also takes addr= and irq=
  -semihosting, -semihosting-config enable=on[,target=native]
                            ARM semihosting (bkpt 0xab) on the CPU, as in QEMU (with -M)
  -serial [NAME=]stdio|null|none|file:PATH
                            where a UART goes: the first -serial to the board's first serial device,
                            the second to the second (as QEMU; the UARTs past them: null), or the one
                            NAME names (-serial m3uart=file:m3.log). Without -serial every UART goes
                            to stdout; stdin goes to the first UART on stdio
  -qmp unix:PATH,server=on[,wait=off]  -qmp tcp:127.0.0.1:PORT,server=on[,wait=off]
                            a QMP monitor (see docs/qmp.md); wait=on (the default) waits for a client
  -S                        do not start the CPUs: wait in prelaunch for cont on the QMP monitor,
                            or for gdb to attach and continue
  -gdb [CPU=]tcp::PORT, -s  a GDB remote stub on 127.0.0.1:PORT (-s: port 1234), for gdb-multiarch:
                            target remote :PORT. It serves the first CPU's architecture (every CPU
                            of it a thread); on a board with several architectures add one per
                            other architecture, naming a CPU of it: -gdb m3=tcp::1235. All-stop:
                            the board runs only while every attached gdb has resumed
  --preconfig               start before the machine is built: build it over QMP, then x-exit-preconfig
  -nographic                accepted (BoardLab is headless here anyway)
  --max-instructions N      stop after N instructions (exit 124)
  --timeout SECONDS         stop after this much host time (exit 124)
  --realtime                pace virtual time to the host clock
  --tier interp|jit         which tier runs guest code: interp (the interpreter alone) or jit (hot
                            code compiled to WebAssembly; the default). Exact either way; with gdb,
                            QMP and --trace too
  --tier-check              run the board on both tiers side by side, comparing their complete state
                            (registers, CSRs, memory, serial output, traps) as they go; at the first
                            instruction after which they differ, stop and name it (exit 3)
  --trace FILE              write PC, instruction and changed registers of every instruction to
                            FILE (- for stderr); on a board with several CPUs every CPU's, each
                            line starting with the CPU's name; compare with QEMU using
                            npx tsx scripts/trace-diff.ts FIRMWARE.elf
  -h, --help                this text

Exit status: 0 when the guest writes pass to the finisher, its code for fail, 1 for bad input,
124 for a limit, 125 when every CPU waits for an interrupt nothing can raise, 130 for Ctrl-A x,
0 after QMP's quit, 3 when --tier-check finds the tiers differ.`;

/** QEMU options that change the machine (as opposed to how it runs). */
const MACHINE_OPTIONS = new Set(['M', 'machine', 'm', 'smp', 'cpu', 'device', 'global', 'kernel', 'bios', 'append', 'initrd', 'dtb', 'semihosting', 'semihosting-config']);

function positiveInteger(option: string, value: string | undefined): number {
  const n = Number((value ?? '').replace(/_/g, ''));
  if (value === undefined || !Number.isSafeInteger(n) || n <= 0) throw new InputError(`${option} needs a positive integer${value === undefined ? '' : `, not "${value}"`}`);
  return n;
}

function positiveNumber(option: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new InputError(`${option} needs a positive number of seconds${value === undefined ? '' : `, not "${value}"`}`);
  return n;
}

export type ParsedRunArgs = { help: true } | { help: false; options: RunOptions };

/** Split `run`'s arguments into BoardLab's options and QEMU's. Throws InputError with one line. */
export function parseRunArgs(argv: readonly string[]): ParsedRunArgs {
  const options: RunOptions = {};
  const qemu: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const value = argv[i + 1];
      if (value === undefined) throw new InputError(`${arg} needs an argument`);
      i++;
      return value;
    };
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--firmware') options.firmware = next();
    else if (arg.startsWith('--firmware=')) options.firmware = arg.slice('--firmware='.length);
    else if (arg === '--max-instructions') options.maxInstructions = positiveInteger(arg, next());
    else if (arg.startsWith('--max-instructions=')) options.maxInstructions = positiveInteger('--max-instructions', arg.split('=')[1]);
    else if (arg === '--timeout') options.timeout = positiveNumber(arg, next());
    else if (arg.startsWith('--timeout=')) options.timeout = positiveNumber('--timeout', arg.split('=')[1]);
    else if (arg === '--realtime') options.realtime = true;
    else if (arg === '--tier') options.tier = parseTier(argv[++i]);
    else if (arg.startsWith('--tier=')) options.tier = parseTier(arg.slice('--tier='.length));
    else if (arg === '--tier-check') options.tierCheck = true;
    else if (arg === '--preconfig' || arg === '-preconfig') options.preconfig = true;
    else if (arg === '--trace') options.trace = next();
    else if (arg.startsWith('--trace=')) options.trace = arg.slice('--trace='.length);
    else if (arg === '--machine') qemu.push('-M', next());
    else if (arg.startsWith('-') && arg.length > 1) {
      const name = arg.replace(/^--?/, '');
      const kind = qemuOptionKind(name);
      if (kind === 'argument') qemu.push(arg, next());
      else if (kind === 'flag') qemu.push(arg);
      else if (kind === 'unsupported') throw new InputError(`${arg} is a QEMU option BoardLab does not support`);
      else throw new InputError(`unknown option '${arg}' (see boardlab run --help)`);
    } else if (options.board === undefined) options.board = arg;
    else throw new InputError(`one board file only: "${options.board}" and "${arg}"`);
  }
  if (qemu.length > 0) options.qemuArgs = qemu;
  return { help: false, options };
}

/** Does this QEMU argument list change the machine (so it needs -M rather than a board file)? */
export function changesMachine(qemuArgs: readonly string[]): string | undefined {
  return qemuArgs.find((arg) => arg.startsWith('-') && MACHINE_OPTIONS.has(arg.replace(/^--?/, '')));
}
