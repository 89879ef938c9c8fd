// An engine module that fails to load, in the real `boardlab` command: a Node loader hook
// (./testing/fail-module.mjs) makes every import of the LED's module file reject, as an
// unreachable chunk does in the browser. Its types become unavailable, with the reason; the
// command keeps working for every board that does not use them. Both ways `boardlab` runs: the
// prebuilt CLI (the hook fails its chunk dist-cli/<build>/engine/devices/led.js) and the sources
// through tsx (BOARDLAB_CLI=source; the hook fails src/engine/devices/led.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
/** The two ways bin/boardlab.js runs the CLI, and the file of the LED's module in each. */
const CLIS = [
  { cli: 'prebuilt', env: {}, ledFile: 'led.js' },
  { cli: 'source', env: { BOARDLAB_CLI: 'source' }, ledFile: 'led.ts' },
] as const;

describe.each(CLIS)('an engine module that fails to load, on the command line ($cli CLI)', ({ env, ledFile }) => {
  const REASON = `module engine/devices/led failed to load: simulated failure: cannot load ${ledFile}`;

  /** `boardlab ARGS` in a process where the module file of engine/devices/<failing> cannot be loaded. */
  function boardlab(args: string[], failing = 'led') {
    const result = spawnSync(process.execPath, ['--import', join(root, 'src/cli/testing/fail-module.mjs'), join(root, 'bin/boardlab.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env, BOARDLAB_FAIL_MODULE: failing },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('boardlab types: its types are unavailable with the reason, the others available', () => {
    const { status, stdout, stderr } = boardlab(['types', '--concrete']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const types = JSON.parse(stdout) as Array<{ name: string; module: string | null; available: boolean | null; unavailableReason?: string }>;
    const led = types.find((t) => t.name === 'led');
    expect(led).toMatchObject({ module: 'engine/devices/led', available: false, unavailableReason: REASON });
    const others = types.filter((t) => t.name !== 'led');
    expect(others.length).toBeGreaterThan(5);
    for (const type of others) expect(type, type.name).toMatchObject({ available: true });
    expect(others.some((t) => 'unavailableReason' in t)).toBe(false);
  });

  it('boardlab validate: a board using the type has a problem at the object, with the reason', () => {
    const { status, stdout, stderr } = boardlab(['validate', 'examples/blinky.board.json']);
    expect(stdout).toBe('');
    expect(stderr).toBe(`examples/blinky.board.json#/objects/led0: type "led" of /machine/led0 is unavailable: ${REASON}. The board is valid, but this build cannot run it; reload, or check the engine module.\n`);
    expect(status).toBe(1);
  });

  it('boardlab run: a board using the type is refused the same way, without a stack trace', () => {
    const { status, stdout, stderr } = boardlab(['run', 'examples/blinky.board.json']);
    expect(stdout).toBe('');
    expect(stderr).toBe(`examples/blinky.board.json#/objects/led0: type "led" of /machine/led0 is unavailable: ${REASON}. The board is valid, but this build cannot run it; reload, or check the engine module.\n`);
    expect(status).toBe(1);
  });

  it('boards that do not use the type still validate and run', () => {
    expect(boardlab(['validate', 'examples/hello.board.json'])).toMatchObject({ status: 0, stderr: '' });
    expect(boardlab(['run', 'examples/hello.board.json'])).toEqual({ status: 0, stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', stderr: '' });
  });

  it('without the hook, the same board validates: the failure is the module, not the board', () => {
    expect(boardlab(['validate', 'examples/blinky.board.json'], '')).toMatchObject({ status: 0, stderr: '' });
  });
});
