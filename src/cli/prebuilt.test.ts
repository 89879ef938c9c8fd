// The prebuilt CLI (scripts/prebuilt-cli.mjs, bin/boardlab.js) in a copy of the project: `boardlab`
// runs the bundle in dist-cli/ when it is fresh (no TypeScript, no tsx), rebuilds it before running
// when a source changed, runs the sources through tsx with a warning when it cannot be rebuilt, and
// works in a clean clone, where nothing is built yet. A loader hook (./testing/record-modules.mjs)
// lists the modules each run resolved.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const HELLO = 'Hello, BoardLab!\n1+2+...+100 = 5050\n';
const DESCRIPTION = 'BoardLab: design boards as data and run firmware on them';
/** Builds take a second or two, more on a busy machine. */
const BUILD_TIMEOUT = 120_000;

const scratch = mkdtempSync(join(tmpdir(), 'boardlab-prebuilt-'));
/** A copy of the project as `npm ci` leaves it: sources, node_modules, and the CLI its prepare script built. */
const installed = join(scratch, 'installed');

/** A copy of what a clone holds (and node_modules, linked); with the installed copy's dist-cli/ when `built`. */
function projectCopy(name: string, built: boolean): string {
  const dir = join(scratch, name);
  for (const path of ['bin', 'scripts/prebuilt-cli.mjs', 'src', 'package.json', 'package-lock.json', 'examples/hello.board.json', 'public/firmware/hello.elf']) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  if (built) cpSync(join(installed, 'dist-cli'), join(dir, 'dist-cli'), { recursive: true });
  return dir;
}

/** `node bin/boardlab.js ARGS` in a project copy; with the modules it resolved. */
function boardlab(dir: string, args: string[], env: Record<string, string> = {}) {
  const list = join(dir, `modules-${Date.now()}-${Math.random()}.txt`);
  writeFileSync(list, '');
  const result = spawnSync(process.execPath, ['--import', join(root, 'src/cli/testing/record-modules.mjs'), join(dir, 'bin/boardlab.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, BOARDLAB_CLI: '', ...env, BOARDLAB_RECORD_MODULES: list },
  });
  const modules = readFileSync(list, 'utf8').split('\n').filter((url) => url !== '');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules };
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'dist-cli/manifest.json'), 'utf8')) as { build: string; files: Record<string, { mtimeMs: number }> };
const builds = (dir: string) => readdirSync(join(dir, 'dist-cli')).filter((name) => name !== 'manifest.json').sort();
/** TypeScript sources among the modules a run resolved (any .ts file, or tsx itself). */
const typescript = (modules: string[]) => modules.filter((url) => url.endsWith('.ts') || url.includes('/node_modules/tsx/'));

beforeAll(() => {
  projectCopy('installed', false);
  const prepare = spawnSync(process.execPath, [join(installed, 'scripts/prebuilt-cli.mjs')], { cwd: installed, encoding: 'utf8' });
  expect(prepare.stderr).toBe('');
  expect(prepare.status).toBe(0);
}, BUILD_TIMEOUT);

// deleting the scratch builds (tens of MB) takes seconds on a busy machine
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 120_000);

describe('the prebuilt CLI', () => {
  it('npm ci builds it: the prepare script writes a manifest of its sources and the bundle', () => {
    const { build, files } = manifest(installed);
    expect(existsSync(join(installed, 'dist-cli', build, 'main.js'))).toBe(true);
    // Each engine module its own chunk, so the registry still loads them lazily.
    expect(existsSync(join(installed, 'dist-cli', build, 'engine/devices/led.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist-cli', build, 'engine/cpu/riscv/index.js'))).toBe(true);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/engine/registry.ts', 'src/engine/devices/led.ts', 'package-lock.json']));
  });

  it('when fresh, boardlab runs the bundle: no TypeScript source and no tsx is loaded, nothing is rebuilt', () => {
    const dir = projectCopy('fresh', true);
    const before = manifest(dir).build;
    const run = boardlab(dir, ['run', 'examples/hello.board.json']);
    expect(run).toMatchObject({ status: 0, stdout: HELLO, stderr: '' });
    expect(run.modules).toContain(`file://${dir}/dist-cli/${before}/main.js`);
    expect(run.modules).toContain(`file://${dir}/dist-cli/${before}/engine/devices/ns16550a.js`);
    expect(typescript(run.modules)).toEqual([]);
    // The copy gave every source a new mtime but the same content: no rebuild, and the manifest
    // now holds the new mtimes, so the next start needs no hashing.
    expect(builds(dir)).toEqual([before]);
    expect(manifest(dir).files['src/cli/main.ts']).toMatchObject({ mtimeMs: statSync(join(dir, 'src/cli/main.ts')).mtimeMs });
  });

  it('the same run from the sources (BOARDLAB_CLI=source) does load TypeScript through tsx, as the hook sees', () => {
    const run = boardlab(projectCopy('source', true), ['run', 'examples/hello.board.json'], { BOARDLAB_CLI: 'source' });
    expect(run).toMatchObject({ status: 0, stdout: HELLO, stderr: '' });
    expect(run.modules.some((url) => url.endsWith('/src/cli/main.ts'))).toBe(true);
    expect(run.modules.some((url) => url.includes('/node_modules/tsx/'))).toBe(true);
  });

  it('in a clean clone (nothing built yet), the first boardlab builds it and runs', () => {
    const dir = projectCopy('clean', false);
    const run = boardlab(dir, ['run', 'examples/hello.board.json']);
    expect(run).toMatchObject({ status: 0, stdout: HELLO, stderr: '' });
    const { build } = manifest(dir);
    expect(run.modules).toContain(`file://${dir}/dist-cli/${build}/main.js`);
    expect(typescript(run.modules)).toEqual([]);
  }, BUILD_TIMEOUT);

  it('an edited source is rebuilt before it runs: the edit shows at once, never the old code', () => {
    const dir = projectCopy('edited', true);
    const before = manifest(dir).build;
    expect(boardlab(dir, ['--help']).stdout).toContain(DESCRIPTION);
    const main = join(dir, 'src/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace(DESCRIPTION, 'BoardLab, as edited'));
    const run = boardlab(dir, ['--help']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain('BoardLab, as edited');
    expect(run.stdout).not.toContain(DESCRIPTION);
    const after = manifest(dir).build;
    expect(after).not.toBe(before);
    expect(run.modules).toContain(`file://${dir}/dist-cli/${after}/main.js`);
    expect(typescript(run.modules)).toEqual([]);
  }, BUILD_TIMEOUT);

  it('a new engine module file (found by the registry’s glob, imported by no file) is rebuilt into its own chunk', () => {
    const dir = projectCopy('new-module', true);
    const before = manifest(dir).build;
    cpSync(join(dir, 'src/engine/devices/led.ts'), join(dir, 'src/engine/devices/led2.ts'));
    expect(boardlab(dir, ['validate', 'examples/hello.board.json'])).toMatchObject({ status: 0, stderr: '' });
    const after = manifest(dir).build;
    expect(after).not.toBe(before);
    expect(existsSync(join(dir, 'dist-cli', after, 'engine/devices/led2.js'))).toBe(true);
  }, BUILD_TIMEOUT);

  it('a stale CLI that cannot be rebuilt is not run: the sources run through tsx, with a warning', () => {
    const dir = projectCopy('unbuildable', true);
    const main = join(dir, 'src/cli/main.ts');
    // The sources still run (the import is never taken), but the bundler cannot resolve it.
    const edited = readFileSync(main, 'utf8').replace(DESCRIPTION, 'BoardLab, unbuildable') + "\nif (process.env.NEVER_SET_ANYWHERE === 'yes') await import('./no-such-file.ts');\n";
    writeFileSync(main, edited);
    const run = boardlab(dir, ['--help']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^boardlab: src\/cli\/main\.ts changed and the CLI could not be rebuilt \(.*\); running the TypeScript sources through tsx\n$/m);
    expect(run.stderr).toContain("Could not resolve './no-such-file.ts' in src/cli/main.ts");
    expect(run.stdout).toContain('BoardLab, unbuildable');
    expect(run.modules.some((url) => url.endsWith('/src/cli/main.ts'))).toBe(true);
  }, BUILD_TIMEOUT);
});
