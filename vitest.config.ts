import { availableParallelism } from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Suites are vitest projects so `npm test` can run and count them one by one:
//   unit      — src/**/*.test.ts: graph, engine, workers, cli (no system packages needed), and the
//               test tools' own tests (scripts/**/*.test.ts)
//   firmware  — rebuilds firmware/ with Debian's cross compiler, checks committed ELFs are fresh
//               (firmware build), and runs programs whose behaviour depends on the machine version
//               (uart-fifo) and the example boards' programs (firmware)
//   reference — compares with real tools: the same ELFs on Debian's qemu-system-riscv32 and on
//               BoardLab (identical output), gdb and QMP sessions, instruction traces (reference);
//               the assembler, disassemblers, device trees, DWARF and symbols with Debian's binutils,
//               dtc and QEMU's device models (reference tools)
// A suite whose tests run guest code runs once per execution tier: `<suite>` on the default tier
// (jit, the compiling tier) and `<suite> (interp)` on the interpreter: the same tests and the same expectations, with BOARDLAB_TIER telling every
// machine a test builds (vitest.setup.ts) and every `boardlab` it spawns which tier to run on
// (src/cli/tier-environment.ts). Tests that run no guest (builds, tools, most unit tests outside the
// engine, worker and CLI: UNIT_GUEST_TESTS) run once.
// Every engine module is loaded before the tests, as the entry points load a board's before building it.
const setupFiles = ['./vitest.setup.ts'];
// The suites spawn the real `boardlab`: its prebuilt CLI is brought up to date once, before them.
const globalSetup = ['./vitest.global-setup.mjs'];

const TIERS = ['jit', 'interp'] as const;
/** The tier a machine runs on unless told otherwise (MachineOptions.tier). */
const DEFAULT_TIER = 'jit';

/** Reference tests against tools that run no guest on BoardLab: the same outcome on either tier. */
const TOOL_REFERENCES = [
  'src/asm/**/*.reference.test.ts',
  'src/graph/**/*.reference.test.ts',
  'src/engine/cpu/*/disasm.reference.test.ts',
  'src/engine/cpu/arm/scs.reference.test.ts',
  'src/engine/devices/*.reference.test.ts',
  'firmware/fp-vectors.reference.test.ts', // QEMU's F/D results against the softfloat library
];
const REFERENCES = ['firmware/**/*.reference.test.ts', 'src/**/*.reference.test.ts'];

/**
 * The unit tests that run guest code (build a machine, or spawn `boardlab`): the engine's, the
 * worker's and the CLI's, and these files of other layers. Only these run on the interpreter too;
 * the rest (board documents, views, the assembler) run no guest. src/unit-tiers.test.ts fails when
 * a test file elsewhere starts to run one.
 */
export const UNIT_GUEST_TESTS = ['src/engine/', 'src/workers/', 'src/cli/', 'src/ui/board-sources.test.ts', 'src/asm/thumb/run-mps2.test.ts'];

type Project = TestProjectInlineConfiguration['test'] & { name: string };

/**
 * One test file per core. Vitest's default keeps a core for itself (cores − 1), which on CI's two
 * cores runs the files one at a time; its own work (transforming files once) is small beside them.
 * The reference suites keep the default: their tests give each BoardLab and QEMU run they spawn a
 * deadline, and two files at a time on a loaded machine missed them (not yet tried on a quiet one).
 */
const FILES_AT_ONCE = availableParallelism();

const base = { environment: 'node', setupFiles, globalSetup } as const;

/**
 * `project` once per tier: `name` on the default tier (so `--project name` runs what it always did)
 * and `name (interp)`, the latter with only `guestTests` when given.
 */
function perTier(project: Project, guestTests?: string[]): TestProjectInlineConfiguration[] {
  return TIERS.map((tier) => {
    const include = tier === DEFAULT_TIER || guestTests === undefined ? project.include : guestTests;
    return { test: { ...base, ...project, include, name: tier === DEFAULT_TIER ? project.name : `${project.name} (${tier})`, env: { BOARDLAB_TIER: tier } } };
  });
}

export default defineConfig({
  test: {
    projects: [
      ...perTier(
        // The unit test files share their worker's modules (isolate: false): every file loads every engine
        // module (vitest.setup.ts), which took longer than most files' tests when each did it afresh.
        // Tests that change a global put it back (vi.unstubAllGlobals, vi.unstubAllEnvs).
        { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: ['**/node_modules/**', 'src/**/*.reference.test.ts'], testTimeout: 30_000, isolate: false, maxWorkers: FILES_AT_ONCE },
        UNIT_GUEST_TESTS.map((path) => (path.endsWith('/') ? `${path}**/*.test.ts` : path)),
      ),
      { test: { ...base, name: 'firmware build', include: ['firmware/**/*.build.test.ts'], testTimeout: 120_000, maxWorkers: FILES_AT_ONCE } },
      ...perTier({ name: 'firmware', include: ['firmware/**/*.firmware.test.ts'], testTimeout: 120_000, maxWorkers: FILES_AT_ONCE }),
      { test: { ...base, name: 'reference tools', include: TOOL_REFERENCES, testTimeout: 120_000, maxWorkers: FILES_AT_ONCE } },
      ...perTier({ name: 'reference', include: REFERENCES, exclude: ['**/node_modules/**', ...TOOL_REFERENCES], testTimeout: 120_000 }),
    ],
  },
});
