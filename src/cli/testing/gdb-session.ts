// For the GDB reference tests: a free TCP port, waiting until an emulator listens on it (without
// connecting: QEMU's stub and `boardlab run -S` serve the first client that connects), and Debian's
// gdb-multiarch in batch mode against a remote target.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Is something listening on TCP port `port` (from /proc/net/tcp; state 0A is LISTEN)? */
function isListening(port: number): boolean {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1]?.endsWith(hexPort) && fields[3] === '0A';
  });
}

/** Wait (up to `ms`) until something listens on `port`; whether it does. */
export async function waitUntilListening(port: number, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!isListening(port) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return isListening(port);
}

/**
 * `gdb-multiarch --batch` on `elf`, connected to 127.0.0.1:port, running `commands` in order: what
 * gdb printed (stdout, then stderr). `cwd` is where gdb looks for sources with relative paths.
 */
export async function gdbBatch(elf: string, port: number, commands: readonly string[], cwd?: string): Promise<string> {
  const args = ['--batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', `target remote 127.0.0.1:${port}`];
  for (const command of commands) args.push('-ex', command);
  const { stdout, stderr } = await run('gdb-multiarch', [...args, elf], { timeout: 60_000, cwd });
  return stdout + stderr;
}
