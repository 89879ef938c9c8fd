// `--tier interp|jit` on every command that builds a machine to run a guest, and `run --tier-check`.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Machine } from '../engine/index.ts';
import type { JitStats, TierControl } from '../engine/cpu/contract.ts';
import { main } from './main.ts';
import { parseRunArgs } from './run-args.ts';
import { environmentTier } from './tier-environment.ts';
import { EXIT_INPUT_ERROR, EXIT_LIMIT, EXIT_TIERS_DIFFER, runCommand, type RunOptions } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloBoard = join(root, 'examples/hello.board.json');
const helloElf = join(root, 'public/firmware/hello.elf');

async function run(options: RunOptions) {
  const out: number[] = [];
  const err: string[] = [];
  const status = await runCommand(options, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err };
}

/** The tier of every machine the command builds, as they are built. */
function recordBuiltTiers(): string[] {
  const tiers: string[] = [];
  const build = Machine.build.bind(Machine);
  vi.spyOn(Machine, 'build').mockImplementation((board, images, options) => {
    const machine = build(board, images, options);
    tiers.push(machine.tier);
    return machine;
  });
  return tiers;
}

afterEach(() => vi.restoreAllMocks());

/** Without --tier: jit, unless the suite runs on the interpreter (BOARDLAB_TIER, as `boardlab` reads it). */
const DEFAULT_TIER = environmentTier() ?? 'jit';

describe('--tier', () => {
  it('is parsed by run, and a bad or missing value is refused naming the choices', () => {
    expect(parseRunArgs(['b.json', '--tier', 'interp'])).toMatchObject({ options: { board: 'b.json', tier: 'interp' } });
    expect(parseRunArgs(['b.json', '--tier=jit'])).toMatchObject({ options: { tier: 'jit' } });
    expect(() => parseRunArgs(['b.json', '--tier', 'fast'])).toThrow('--tier "fast" is not a tier: choose interp or jit');
    expect(() => parseRunArgs(['b.json', '--tier'])).toThrow('--tier needs a value: choose interp or jit');
  });

  it('builds the machine of boardlab run on the tier asked for (default jit)', async () => {
    const tiers = recordBuiltTiers();
    expect((await run({ ...(parseRunArgs([helloBoard, '--tier', 'interp']) as { options: RunOptions }).options })).status).toBe(0);
    expect((await run({ board: helloBoard })).status).toBe(0);
    expect((await run({ ...(parseRunArgs(['-M', 'riscv-virt', '--firmware', helloElf, '--tier=jit']) as { options: RunOptions }).options })).status).toBe(0);
    expect(tiers).toEqual(['interp', DEFAULT_TIER, 'jit']);
  });

  it('runs guest code on the tier asked for: --tier interp compiles nothing, --tier jit (and the default) compiles the hot loop', async () => {
    const stats: Array<() => JitStats | undefined> = [];
    const build = Machine.build.bind(Machine);
    vi.spyOn(Machine, 'build').mockImplementation((...args) => {
      const machine = build(...args);
      const tiers = machine.cpu(machine.cpuPaths[0])?.tiers;
      stats.push(() => tiers?.stats());
      return machine;
    });
    const crc = join(root, 'public/firmware/bench-crc.elf');
    const budget = 2_000_000; // well into the CRC loop
    for (const args of [['--tier', 'interp'], ['--tier', 'jit'], []]) {
      const parsed = parseRunArgs(['-M', 'riscv-virt', '--firmware', crc, '--max-instructions', String(budget), ...args]) as { options: RunOptions };
      expect((await run(parsed.options)).status).toBe(EXIT_LIMIT);
    }
    const [interp, jit, byDefault] = stats.map((read) => read());
    expect(interp).toMatchObject({ compiled: 0, compiledInstructions: 0, codeBytes: 0 });
    if (DEFAULT_TIER === 'interp') expect(byDefault).toMatchObject({ compiled: 0, compiledInstructions: 0 });
    for (const compiled of DEFAULT_TIER === 'jit' ? [jit, byDefault] : [jit]) {
      expect(compiled!.compiled).toBeGreaterThan(0);
      expect(compiled!.codeBytes).toBeGreaterThan(0);
      expect(compiled!.compiledInstructions).toBeGreaterThan(budget / 2);
    }
  });

  it('builds the machine of boardlab lesson check on the tier asked for; commander refuses other values', async () => {
    const tiers = recordBuiltTiers();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => (stderr.push(String(text)), true));
    const lesson = join(root, 'lessons/01-hello.lesson.json');
    expect(await main(['lesson', 'check', lesson, '--tier', 'interp'])).toBe(2); // the starting board fails its checks
    expect(await main(['lesson', 'check', lesson])).toBe(2);
    expect(tiers).toEqual(['interp', DEFAULT_TIER]);
    expect(await main(['lesson', 'check', lesson, '--tier', 'fast'])).toBe(1);
    expect(stderr.join('')).toMatch(/option '--tier <tier>' argument 'fast' is invalid\. Allowed choices are interp, jit/);
    expect(tiers).toHaveLength(2);
    stdout.mockRestore();
  });
});

describe('--tier-check', () => {
  it('runs a board on both tiers to its end: its output, its exit status, and a line saying they agree', async () => {
    // each machine's tier, and its cpu0's tier control (read at build: the check destroys the machines)
    const built: Array<{ tier: string; tiers: TierControl | undefined }> = [];
    const build = Machine.build.bind(Machine);
    vi.spyOn(Machine, 'build').mockImplementation((...args) => {
      const machine = build(...args);
      built.push({ tier: machine.tier, tiers: machine.cpu('/machine/cpu0')?.tiers });
      return machine;
    });
    const result = await run({ board: helloBoard, tierCheck: true });
    expect(result).toMatchObject({ status: 0, stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n' });
    expect(result.stderr.at(-1)).toMatch(/^boardlab: --tier-check: both tiers agree over \d+ instructions$/);
    // a CPU of the compiling tier's machine that cannot compile is named with the core's reason
    // (until the RV32 tier and the guest arena are on main, cpu0 is one)
    const { tiers } = built.find((machine) => machine.tier === 'jit')!;
    const reason = tiers === undefined ? 'its core has no compiling tier' : tiers.unavailable;
    expect(result.stderr.slice(0, -1)).toEqual(reason === undefined ? [] : [`boardlab: --tier-check: /machine/cpu0 ran on the interpreter on both sides: ${reason}`]);
    expect(built.map((machine) => machine.tier).sort()).toEqual(['interp', 'jit']);
  });

  it('exits with EXIT_TIERS_DIFFER naming the first instruction after which the tiers differ', async () => {
    // the compiling tier's machine gets gp wrong right after the board's 100th instruction (the C code never writes gp)
    const build = Machine.build.bind(Machine);
    vi.spyOn(Machine, 'build').mockImplementation((board, images, options) => {
      const machine = build(board, images, options);
      if (options?.tier !== 'jit') return machine;
      const runMachine = machine.run.bind(machine);
      machine.run = (budget, ...rest) => {
        const before = machine.instructions;
        if (before >= 100 || before + budget < 100) return runMachine(budget, ...rest);
        const ran = runMachine(100 - before, ...rest);
        const cpu = machine.cpu(machine.cpuPaths[0])!;
        cpu.debug.writeRegister(3, (cpu.debug.readRegister(3)! + 4) >>> 0);
        return ran + (budget > ran ? runMachine(budget - ran, ...rest) : 0);
      };
      return machine;
    });
    const result = await run({ board: helloBoard, tierCheck: true });
    expect(result.status).toBe(EXIT_TIERS_DIFFER);
    expect(result.stderr[0]).toMatch(/^boardlab: --tier-check: the tiers differ after instruction 100 \(99 retired before it\), on \/machine\/cpu0 at pc 0x[0-9a-f]+: [0-9a-f]{4,8} {2}\S/);
    expect(result.stderr[1]).toMatch(/^ {2}\/machine\/cpu0 x3 \(gp\): interp 0x([0-9a-f]+), jit 0x[0-9a-f]+$/);
  });

  it('refuses options that drive the run another way', async () => {
    for (const options of [{ trace: '-' }, { tier: 'interp' as const }, { realtime: true }, { qemuArgs: ['-gdb', 'tcp::0'] }]) {
      const result = await run({ board: helloBoard, tierCheck: true, ...options });
      expect(result.status).toBe(EXIT_INPUT_ERROR);
      expect(result.stderr).toEqual([expect.stringMatching(/^boardlab: --tier-check runs the board on both tiers by itself: it does not go with (--trace|--tier|--realtime|-gdb)$/)]);
    }
  });
});
