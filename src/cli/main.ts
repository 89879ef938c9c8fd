// Command-line entry: parses arguments with commander and dispatches to the commands.
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json';
import { asmCommand } from './asm.ts';
import { InputError } from './board-files.ts';
import { EXPORT_FORMATS, convertCommand, describeCommand, exportCommand, resolveCommand, typeCommand, typesCommand, validateCommand, type CommandIo } from './introspect.ts';
import { RUN_USAGE, parseRunArgs } from './run-args.ts';
import { runCommand } from './run.ts';
import { lessonCheckCommand, type LessonCheckOptions } from './lesson.ts';
import { tierOption } from './tier-option.ts';

/** Runs the CLI; returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  // `run` takes QEMU's single-dash long options, which commander cannot parse: it has its own parser.
  if (argv[0] === 'run') return runMain(argv.slice(1));
  let status = 0;
  const program = new Command('boardlab')
    .enablePositionalOptions()
    .description('BoardLab: design boards as data and run firmware on them')
    .version(packageJson.version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program.command('run').description('run a board headless (see boardlab run --help)').allowUnknownOption();

  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(line + '\n'),
  };
  /** Run a command; one-line errors for bad input, exit status from the command. */
  const act = (command: () => Promise<number>) => async () => {
    try {
      status = await command();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr(`boardlab: ${error.message}`);
      status = 1;
    }
  };
  const platformOption = ['--platform <name>', 'host platform whose defaults and features apply (node@1, browser@1, browser-basic@1)'] as const;

  program
    .command('validate')
    .description('check a board document: problems with JSON Pointers (exit 1), or a summary')
    .argument('<board>', 'board document')
    .option(...platformOption)
    .action((board: string, options: { platform?: string }) => act(() => validateCommand(board, options, io))());

  program
    .command('resolve')
    .description('print the resolved machine (objects, final properties and their layers, memory, wiring) as JSON')
    .argument('<board>', 'board document')
    .option(...platformOption)
    .action((board: string, options: { platform?: string }) => act(() => resolveCommand(board, options, io))());

  program
    .command('describe')
    .description('objects, memory map (and each CPU\'s view of it), IRQ and reset wiring of a board file or machine type (neither: list the types)')
    .argument('[board]', 'board document')
    .option('-M, --machine <type>', 'machine type, e.g. riscv-virt or riscv-virt@1.0')
    .option('--param <name=value...>', 'machine type parameters, e.g. harts=4')
    .option('--json', 'the resolved machine as JSON')
    .action((board: string | undefined, options: { machine?: string; param?: string[]; json?: boolean }) =>
      act(() => describeCommand({ board, machine: options.machine, json: options.json, params: parseParams(options.param) }, io))(),
    );

  program
    .command('types')
    .description('the type catalog as JSON (with availability of each engine module)')
    .option('--interface <name>', 'only types with this interface, e.g. cpu or serial')
    .option('--abstract', 'only abstract types')
    .option('--concrete', 'only types that can be instantiated')
    .option('--machines', 'machine types (with versions and compat layers) instead')
    .action((options: { interface?: string; abstract?: boolean; concrete?: boolean; machines?: boolean }) =>
      act(() => typesCommand({ interface: options.interface, abstract: options.abstract ? true : options.concrete ? false : undefined, machines: options.machines }, io))(),
    );

  program
    .command('type')
    .description('one type: parent, interfaces, properties, ports, module, as JSON')
    .argument('<name>', 'type name')
    .action((name: string) => act(() => typeCommand(name, io))());

  program
    .command('export')
    .description('write a board in another form')
    .argument('<board>', 'board document')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}: resolved JSON, device tree source or blob, QEMU arguments, config file`)
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option(...platformOption)
    .action((board: string, options: { format: string; output?: string; platform?: string }) => act(() => exportCommand(board, options, io))());

  program
    .command('convert')
    .description('turn a QEMU command line into a board document: boardlab convert -- -M virt -m 256M -kernel fw.elf')
    .argument('<qemu-args...>', 'QEMU arguments (after --)')
    .option('--name <name>', 'board name', 'converted')
    .option('--format <format>', 'json or config', 'json')
    .allowUnknownOption()
    .action((args: string[], options: { name?: string; format?: string }) => act(() => convertCommand(args, options, io))());

  program
    .command('lesson')
    .description('lessons: boardlab lesson check lesson.json [--board answer.board.json]')
    .command('check')
    .description('run a lesson\'s board headless and print which of every step\'s checks pass (exit 0 only when all pass, 2 when some fail)')
    .argument('<lesson>', 'lesson file (.lesson.json)')
    .option('--board <file>', 'check this board (a student\'s answer) instead of the lesson\'s starting board')
    .option('--max-instructions <n>', 'stop the run after this many instructions (default: the lesson\'s maxInstructions, else 50000000)')
    .option('--max-time <time>', 'stop the run at this virtual time, e.g. 2s or 500ms (default 10s)')
    .addOption(tierOption())
    .action((lesson: string, options: LessonCheckOptions) => act(() => lessonCheckCommand(lesson, options, io))());

  program
    .command('asm')
    .description('assemble a GNU as source (RISC-V) into an ELF executable with symbols and line information')
    .argument('<source>', 'assembly source (.s)')
    .option('-o, --output <elf>', 'output ELF (default: the source name with .elf)')
    .option('--march <isa>', 'instruction set: rv32imac, rv32i, armv7-m (Cortex-M3) or armv6-m (Cortex-M0)', 'rv32imac')
    .option('--text-address <address>', 'where .text goes (default 0x80000000)')
    .action((source: string, options: { output?: string; march?: string; textAddress?: string }) => act(async () => asmCommand(source, options, io))());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    throw error;
  }
  return status;
}

function parseParams(list: string[] | undefined): Record<string, number> {
  const params: Record<string, number> = {};
  for (const item of list ?? []) {
    const m = /^([a-z_][a-z0-9_]*)=(-?\d+)$/.exec(item);
    if (!m) throw new InputError(`--param ${item}: write name=integer, e.g. harts=4`);
    params[m[1]] = Number(m[2]);
  }
  return params;
}

async function runMain(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseRunArgs(args);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`boardlab: ${error.message}\n`);
    return 1;
  }
  if (parsed.help) {
    process.stdout.write(RUN_USAGE + '\n');
    return 0;
  }
  // A terminal on stdin sends keystrokes as they are typed, not line by line.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  try {
    return await runCommand(
      { ...parsed.options, escapes: process.stdin.isTTY === true },
      {
        stdout: (bytes) => process.stdout.write(bytes),
        stderr: (line) => process.stderr.write(line + '\n'),
        guestStderr: (bytes) => process.stderr.write(bytes),
        stdin: process.stdin,
        status: process.stderr.isTTY ? terminalStatus() : undefined,
      },
    );
  } finally {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.destroy(); // stop reading, so the process can exit
  }
}

/** A status line kept on the last row of a terminal's stderr, rewritten in place. */
function terminalStatus(): (line: string | undefined) => void {
  let shown = false;
  return (line) => {
    if (line === undefined) {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
      return;
    }
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}`);
    shown = true;
  };
}
