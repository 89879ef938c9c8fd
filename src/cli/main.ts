// Command-line entry: parses arguments with commander and dispatches to the commands.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { runCommand } from './run.ts';

function positiveInteger(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

/** Runs the CLI; returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const program = new Command('boardlab')
    .description('BoardLab: design boards as data and run firmware on them')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('run')
    .description('run a board headless: UART output on stdout, exit status from the finisher')
    .argument('[board]', 'board document (.board.json)')
    .option('-M, --machine <type>', 'use a machine type instead of a board file (e.g. riscv-virt)')
    .option('--firmware <elf>', 'ELF image for the first CPU (with -M)')
    .option('--max-instructions <n>', 'stop after this many instructions (exit 124)', positiveInteger)
    .option('--timeout <seconds>', 'stop after this many seconds of host time (exit 124)', positiveNumber)
    .action(async (board: string | undefined, options: { machine?: string; firmware?: string; maxInstructions?: number; timeout?: number }) => {
      status = await runCommand(
        { board, ...options },
        {
          stdout: (bytes) => process.stdout.write(bytes),
          stderr: (line) => process.stderr.write(line + '\n'),
        },
      );
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    throw error;
  }
  return status;
}
