// The prebuilt CLI: src/cli/main.ts and everything it imports, bundled by Vite (an SSR build for
// Node) into dist-cli/<build>/, so `boardlab` starts without transpiling TypeScript.
//
//   node scripts/prebuilt-cli.mjs      build it now (`npm ci` runs this as the `prepare` script)
//
// The bundle keeps the engine registry's lazy loading: Vite turns src/engine/registry.ts's
// import.meta.glob into one chunk per engine module, written as engine/devices/<file>.js and
// engine/cpu/<arch>/index.js (a Node loader hook can target them, as src/cli/modules.test.ts does).
//
// Freshness. dist-cli/manifest.json names the current build and every file it was built from
// (each source's mtime, size and SHA-256, as the build read it), the listing of each directory of
// sources under src/ (a new device module is found by a glob, not an import), package-lock.json
// (the bundled dependencies) and this script (how it is built). `freshCli` checks them on every
// start: a changed stat is confirmed by content, so a checkout that only touches mtimes does not
// rebuild. bin/boardlab.js rebuilds a stale CLI before running it, so old code never runs.
//
// Atomicity. Several processes may start at once (test suites spawn the CLI in parallel): each
// build goes to a temporary folder renamed to dist-cli/<hash of its inputs>, and the manifest is
// replaced by a rename, so a reader sees the old build or the new one, never half of one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OUT_DIR = 'dist-cli';
const MANIFEST = 'manifest.json';
const ENTRY = 'src/cli/main.ts';
/** Manifest format; a manifest of another version is stale. */
const FORMAT = 1;
/** Files outside the module graph that change what the bundle holds: the bundled dependencies' versions, and how it is built. */
const EXTRA_INPUTS = ['package-lock.json', 'scripts/prebuilt-cli.mjs'];
/**
 * Older builds are removed by a later build once this old: a process started from one may still
 * load its chunks (a board's device modules load when the board is built, which `run --preconfig`
 * leaves to a QMP client).
 */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The names in a source directory that can change what a glob finds (tests never do). */
function listing(dir) {
  return readdirSync(dir).filter((name) => !name.endsWith('.test.ts')).sort();
}

/** The freshness record of one input file. */
function fileRecord(path) {
  const stat = statSync(path);
  return { mtimeMs: stat.mtimeMs, size: stat.size, sha256: sha256(readFileSync(path)) };
}

function readManifest(root) {
  try {
    const manifest = JSON.parse(readFileSync(join(root, OUT_DIR, MANIFEST), 'utf8'));
    return manifest?.format === FORMAT ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(root, manifest) {
  const file = join(root, OUT_DIR, MANIFEST);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(manifest, null, 1));
  renameSync(temporary, file);
}

/**
 * The prebuilt CLI's entry file when it is fresh, or why it is not: `{ entry }` or `{ stale }`.
 * Cheap when fresh (one stat per input file, one listing per source directory).
 */
export function freshCli(projectRoot) {
  const root = resolve(projectRoot);
  const manifest = readManifest(root);
  if (manifest === undefined) return { stale: 'the CLI has not been built yet' };
  const entry = join(root, OUT_DIR, manifest.build, 'main.js');
  if (!existsSync(entry)) return { stale: `the build ${manifest.build} is missing` };
  let touched = false;
  for (const [file, record] of Object.entries(manifest.files)) {
    const path = join(root, file);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return { stale: `${file} is gone` };
    }
    if (stat.mtimeMs === record.mtimeMs && stat.size === record.size) continue;
    if (stat.size !== record.size || sha256(readFileSync(path)) !== record.sha256) return { stale: `${file} changed` };
    record.mtimeMs = stat.mtimeMs; // same content, new mtime (a checkout): remember it, so the next start is cheap again
    touched = true;
  }
  for (const [dir, names] of Object.entries(manifest.directories)) {
    let now;
    try {
      now = listing(join(root, dir));
    } catch {
      return { stale: `${dir} is gone` };
    }
    if (now.join('/') !== names.join('/')) return { stale: `the files in ${dir} changed` };
  }
  if (touched) {
    try {
      writeManifest(root, manifest);
    } catch {
      // A read-only checkout: the check stays correct, only slower.
    }
  }
  return { entry };
}

/** The chunk file of an engine module (the registry's glob targets), or undefined for any other chunk. */
function engineModuleChunk(root, moduleId) {
  const file = relative(join(root, 'src'), moduleId ?? '');
  const match = /^(engine\/(?:devices\/[a-z0-9-]+|cpu\/[a-z0-9-]+\/index))\.ts$/.exec(file);
  return match === null ? undefined : `${match[1]}.js`;
}

/** The first line of a bundler error that says what is wrong (Rolldown's starts with "Build failed with N errors:"). */
function conciseBuildError(error) {
  const message = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex -- the bundler colours its messages
  const lines = message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return (/^Build failed/.test(lines[0] ?? '') ? lines[1] : lines[0]) ?? 'unknown error';
}

/**
 * Builds the CLI into dist-cli/<hash>/ and makes it current; returns its entry file. Throws when
 * the build fails (a syntax error, or Vite not installed) with a one-line message, the bundler's
 * error as its cause. `quiet`: Vite prints nothing (bin/boardlab.js rebuilding before a command).
 */
export async function buildCli(projectRoot, { quiet = false } = {}) {
  const root = resolve(projectRoot);
  let build;
  try {
    ({ build } = await import('vite'));
  } catch (error) {
    throw new Error('Vite is not installed', { cause: error });
  }
  const files = {};
  const directories = {};
  /** Records each source file as the build reads it, so the manifest describes exactly what was bundled. */
  const recordInputs = {
    name: 'boardlab-cli-inputs',
    enforce: 'pre',
    load(id) {
      const path = id.split('?')[0];
      if (id.startsWith('\0') || !path.startsWith(root + '/') || path.includes('/node_modules/')) return null;
      const stat = statSync(path);
      const code = readFileSync(path);
      files[relative(root, path)] = { mtimeMs: stat.mtimeMs, size: stat.size, sha256: sha256(code) };
      const dir = relative(root, dirname(path));
      if (dir.startsWith('src/')) directories[dir] ??= listing(dirname(path));
      return code.toString('utf8');
    },
  };
  for (const file of EXTRA_INPUTS) files[file] = fileRecord(join(root, file));

  const outRoot = join(root, OUT_DIR);
  mkdirSync(outRoot, { recursive: true });
  const temporary = join(outRoot, `.build-${process.pid}-${Date.now()}`);
  try {
    await build({
      configFile: false,
      root,
      publicDir: false,
      logLevel: quiet ? 'silent' : 'warn',
      plugins: [recordInputs],
      // Everything in one bundle: resolving packages in node_modules at every start is what costs.
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: join(root, ENTRY),
        outDir: temporary,
        emptyOutDir: true,
        target: 'node20',
        minify: false, // readable stack traces; minifying saves only about a tenth of the start-up
        reportCompressedSize: false,
        rollupOptions: {
          output: {
            format: 'es',
            entryFileNames: 'main.js',
            chunkFileNames: (chunk) => engineModuleChunk(root, chunk.facadeModuleId) ?? 'chunks/[name]-[hash].js',
          },
        },
      },
    });
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw new Error(conciseBuildError(error), { cause: error });
  }
  const id = sha256(JSON.stringify(Object.entries(files).map(([file, record]) => [file, record.sha256]).sort())).slice(0, 16);
  const final = join(outRoot, id);
  try {
    renameSync(temporary, final);
  } catch {
    // The same inputs, built by another process at the same time: its build is as good as ours.
    rmSync(temporary, { recursive: true, force: true });
  }
  writeManifest(root, { format: FORMAT, build: id, entry: ENTRY, files, directories });
  removeOldBuilds(outRoot, id);
  return join(final, 'main.js');
}

function removeOldBuilds(outRoot, current) {
  for (const name of readdirSync(outRoot)) {
    if (name === current || name === MANIFEST || name.endsWith('.tmp')) continue;
    const path = join(outRoot, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    await import('vite');
  } catch {
    // An install without devDependencies: bin/boardlab.js then runs the sources through tsx.
    console.warn('boardlab: Vite is not installed, so the CLI is not prebuilt; `boardlab` runs the TypeScript sources through tsx (slower start).');
    process.exit(0);
  }
  const start = performance.now();
  try {
    const entry = await buildCli(root);
    console.log(`boardlab: built the CLI into ${relative(root, dirname(entry))}/ in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`boardlab: could not build the CLI: ${error.message}`);
    process.exitCode = 1;
  }
}
