#!/usr/bin/env node
// `npm test`: every suite, one after another, then one line `N passed, N failed` summing them all.
// Suites: system packages · typecheck · lint · dead exports · unit · firmware · reference · e2e; the
// suites that run guest code once per execution tier (`unit (jit)`, `unit (interp)`, …).
import { spawnSync } from 'node:child_process';
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

/** A suite that is a single check (passes when the command exits 0). */
function single(name, command, args) {
  const status = run(command, args);
  record(name, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
  return status === 0;
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

function playwright() {
  const report = join(results, 'e2e.json');
  const status = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  const json = readJson(report);
  if (json === undefined) return record('e2e', 0, 1);
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = json.stats ?? {};
  const failed = unexpected + (status !== 0 && unexpected === 0 ? 1 : 0);
  record('e2e', expected + flaky, failed, skipped);
}

const depsOk = single('system packages', 'bash', ['scripts/ensure-system-deps.sh']);
single('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
// ESLint with typescript-eslint (eslint.config.js): unused variables and imports, and the recommended rules.
single('lint', 'npx', ['eslint', '.']);
// knip (knip.json): exports, files and dependencies nothing uses.
single('dead exports', 'npx', ['knip', '--no-progress']);
bothTiers('unit');
if (depsOk) {
  vitestProject('firmware build');
  bothTiers('firmware');
  vitestProject('reference tools');
  bothTiers('reference');
  if (existsSync(join(root, 'playwright.config.ts'))) playwright();
} else {
  for (const name of ['firmware build', 'firmware (jit)', 'firmware (interp)', 'reference tools', 'reference (jit)', 'reference (interp)', 'e2e']) record(name, 0, 1);
}

const total = suites.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log('\nSuites:');
for (const s of suites) console.log(`  ${s.name.padEnd(20)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed > 0 || total.skipped > 0 ? 1 : 0;
