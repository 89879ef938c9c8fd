#!/usr/bin/env node
// `npm test`: every suite, one after another, then one line `N passed, N failed` summing them all.
// Suites: system packages · typecheck · lint · dead exports · unit · firmware · reference · e2e; the
// suites that run guest code once per execution tier (`unit (jit)`, `unit (interp)`, …).
// The static checks (typecheck, lint, dead exports) and the production build the e2e suite serves run
// side by side: each is mostly one busy thread, and CI has two cores. Their output is printed whole,
// one after another, in a fixed order, once all have ended.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

/** Run a command with inherited output; returns its exit status. */
function run(command, args, env = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const child = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (child.error) console.error(`could not start ${command}: ${child.error.message}`);
  return child.status ?? 1;
}

const suites = [];
// QEMU's output does not depend on BoardLab's tier: each tier's reference suite reads the runs the
// first one made (scripts/lib/qemu-cache.ts), for this run of the suites only.
const qemuRuns = join(results, 'qemu-runs');

function record(name, passed, failed, skipped = 0) {
  suites.push({ name, passed, failed, skipped });
  console.log(`\n== ${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs a command with its output (stdout and stderr, interleaved) collected; resolves to its exit status and output. */
function runCollected(command, args) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(`could not start ${command}: ${error.message}\n`)));
    child.on('close', (status) => resolve({ status: status ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

/** A suite that is a single check (passes when the command exits 0). */
function single(name, command, args) {
  const status = run(command, args);
  record(name, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
  return status === 0;
}

/**
 * Single checks run at the same time; each one's command, output and suite line are printed in the
 * order given, once all have ended. `side` are commands that run alongside but are not suites.
 */
async function singlesTogether(checks, side = []) {
  const started = [...checks, ...side].map(({ command, args }) => runCollected(command, args));
  const ended = await Promise.all(started);
  for (const [i, { name, command, args }] of checks.entries()) {
    console.log(`\n$ ${[command, ...args].join(' ')}`);
    process.stdout.write(ended[i].output);
    record(name, ended[i].status === 0 ? 1 : 0, ended[i].status === 0 ? 0 : 1);
  }
  return ended.slice(checks.length);
}

/** A vitest project (vitest.config.ts), reported as `label`. */
function vitestProject(project, label = project) {
  const report = join(results, `${label.replace(/[^a-z0-9-]+/gi, '-')}.json`);
  const status = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { BOARDLAB_QEMU_CACHE: qemuRuns });
  const json = readJson(report);
  if (json === undefined) return record(label, 0, 1);
  const failed = json.numFailedTests + (status !== 0 && json.numFailedTests === 0 ? 1 : 0);
  record(label, json.numPassedTests, failed, json.numPendingTests + json.numTodoTests);
}

/**
 * A suite whose tests run guest code, once per execution tier (vitest.config.ts): the project named
 * `suite` runs on the default tier, the compiling one; `suite (interp)` on the interpreter.
 */
function bothTiers(suite) {
  vitestProject(suite, `${suite} (jit)`);
  vitestProject(`${suite} (interp)`);
}

// The folder playwright.config.ts serves the e2e suite from (its OUT_DIR, for BOARDLAB_E2E_PORT).
const e2ePort = Number(process.env.BOARDLAB_E2E_PORT ?? 4173);
const e2eBuild = e2ePort === 4173 ? 'dist' : `dist-e2e-${e2ePort}`;

/**
 * The e2e suite, in two runs (playwright.config.ts): the `chromium` project (BOARDLAB_E2E_WORKERS
 * tests at a time, one by default), then the `timing` project's specs, which measure time, alone.
 * `built` when e2eBuild already holds this tree's production build (else each run's web server builds it).
 */
function playwright(built) {
  const totals = { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
  for (const project of ['chromium', 'timing']) {
    const report = join(results, `e2e-${project}.json`);
    const status = run('npx', ['playwright', 'test', `--project=${project}`], { PLAYWRIGHT_JSON_OUTPUT_FILE: report, ...(built ? { BOARDLAB_E2E_BUILT: '1' } : {}) });
    const stats = readJson(report)?.stats;
    if (stats === undefined) return record('e2e', 0, 1);
    for (const key of Object.keys(totals)) totals[key] += stats[key] ?? 0;
    if (status !== 0 && !stats.unexpected) totals.unexpected += 1;
  }
  record('e2e', totals.expected + totals.flaky, totals.unexpected, totals.skipped);
}

const depsOk = single('system packages', 'bash', ['scripts/ensure-system-deps.sh']);
const [e2eBuilt] = await singlesTogether(
  [
    { name: 'typecheck', command: 'npx', args: ['tsc', '--noEmit', '-p', 'tsconfig.json'] },
    // ESLint with typescript-eslint (eslint.config.js): unused variables and imports, and the recommended rules.
    { name: 'lint', command: 'npx', args: ['eslint', '.'] },
    // knip (knip.json): exports, files and dependencies nothing uses.
    { name: 'dead exports', command: 'npx', args: ['knip', '--no-progress'] },
  ],
  // The production build the e2e suite serves (playwright.config.ts); when it fails here, the e2e
  // suite's web server builds again and shows why.
  [{ command: 'npx', args: ['vite', 'build', '--outDir', e2eBuild, '--emptyOutDir', '--logLevel', 'warn'] }],
);
bothTiers('unit');
if (depsOk) {
  vitestProject('firmware build');
  bothTiers('firmware');
  vitestProject('reference tools');
  bothTiers('reference');
  if (existsSync(join(root, 'playwright.config.ts'))) playwright(e2eBuilt.status === 0);
} else {
  for (const name of ['firmware build', 'firmware (jit)', 'firmware (interp)', 'reference tools', 'reference (jit)', 'reference (interp)', 'e2e']) record(name, 0, 1);
}

const total = suites.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log('\nSuites:');
for (const s of suites) console.log(`  ${s.name.padEnd(20)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed > 0 || total.skipped > 0 ? 1 : 0;
