// The QMP console's session logic against a fake worker monitor: it negotiates capabilities when
// the greeting arrives (whenever that is), the user's first request goes after that negotiation,
// and a reconnect negotiates again.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QmpConsoleOutput, QmpConsoleSink } from '../workers/emulator.worker.ts';

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "BoardLab"}, "capabilities": []}}';

/** A monitor as the worker runs it: the greeting when a machine is there, QEMU's rule that only qmp_capabilities runs before negotiation. */
class FakeMonitor {
  readonly fed: string[] = [];
  private sinks = new Map<number, { sink: QmpConsoleSink; negotiated: boolean }>();
  private nextId = 1;
  machine = true;
  /** The greeting goes out before the session id returns (true) or after it (false). */
  greetFirst = true;

  async qmpOpen(sink: QmpConsoleSink): Promise<number> {
    const id = this.nextId++;
    this.sinks.set(id, { sink, negotiated: false });
    const first: QmpConsoleOutput = this.machine ? { kind: 'qmp', text: `${GREETING}\r\n` } : { kind: 'note', text: 'no machine yet: the greeting comes when a board is loaded' };
    if (this.greetFirst) sink([first]);
    else setTimeout(() => sink([first]), 5);
    await Promise.resolve();
    return id;
  }

  /** A board was loaded after the session opened: the greeting comes now. */
  loadBoard(): void {
    this.machine = true;
    for (const { sink } of this.sinks.values()) sink([{ kind: 'qmp', text: `${GREETING}\r\n` }]);
  }

  async qmpFeed(id: number, text: string): Promise<void> {
    const session = this.sinks.get(id);
    if (!session) return;
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      this.fed.push(line);
      const command = (JSON.parse(line) as { execute: string }).execute;
      let reply: string;
      if (command === 'qmp_capabilities') {
        reply = session.negotiated ? '{"error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}' : '{"return": {}}';
        session.negotiated = true;
      } else if (!session.negotiated) reply = `{"error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}`;
      else reply = '{"return": {"status": "running", "running": true}}';
      await new Promise((resolve) => setTimeout(resolve, 1));
      session.sink([{ kind: 'qmp', text: `${reply}\r\n` }]);
    }
  }

  async qmpClose(id: number): Promise<void> {
    this.sinks.delete(id);
  }
}

let monitor: FakeMonitor;
vi.mock('./run-session.ts', () => ({ emulatorClient: () => monitor }));

async function freshConsole() {
  vi.resetModules();
  return import('./qmp-console.ts');
}

const kinds = (entries: readonly { kind: string; text: string; byConsole?: boolean }[]) => entries.map((e) => `${e.kind}${e.byConsole ? '*' : ''} ${e.text}`);

describe('the QMP console negotiates capabilities itself', () => {
  beforeEach(() => {
    monitor = new FakeMonitor();
  });

  it('sends qmp_capabilities when the greeting arrives and shows the exchange', async () => {
    const qmp = await freshConsole();
    await qmp.connectQmp();
    await vi.waitFor(() => expect(qmp.useQmpConsole.getState().entries).toHaveLength(3));
    expect(kinds(qmp.useQmpConsole.getState().entries)).toEqual([`greeting ${GREETING}`, 'input* {"execute": "qmp_capabilities"}', 'reply {"return": {}}']);
    expect(monitor.fed).toEqual(['{"execute": "qmp_capabilities"}']);
    // The console's request is not the user's: Up does not recall it.
    expect(qmp.useQmpConsole.getState().history).toEqual([]);
  });

  for (const greetFirst of [true, false]) {
    it(`the first typed request works, even typed before the greeting arrived (greeting ${greetFirst ? 'before' : 'after'} the session id)`, async () => {
      monitor.greetFirst = greetFirst;
      const qmp = await freshConsole();
      void qmp.connectQmp();
      await qmp.sendQmp('{"execute": "query-status"}');
      expect(monitor.fed).toEqual(['{"execute": "qmp_capabilities"}', '{"execute": "query-status"}']);
      const entries = qmp.useQmpConsole.getState().entries;
      expect(entries.filter((e) => e.kind === 'error')).toEqual([]);
      expect(kinds(entries).at(-1)).toBe('reply {"return": {"status": "running", "running": true}}');
      expect(qmp.useQmpConsole.getState().history).toEqual(['{"execute": "query-status"}']);
    });
  }

  it('negotiates again after a reconnect', async () => {
    const qmp = await freshConsole();
    await qmp.connectQmp();
    await qmp.reconnectQmp();
    await qmp.sendQmp('{"execute": "query-status"}');
    const entries = qmp.useQmpConsole.getState().entries;
    expect(entries.filter((e) => e.kind === 'greeting')).toHaveLength(2);
    expect(entries.filter((e) => e.byConsole)).toHaveLength(2);
    expect(entries.filter((e) => e.kind === 'error')).toEqual([]);
    expect(monitor.fed).toEqual(['{"execute": "qmp_capabilities"}', '{"execute": "qmp_capabilities"}', '{"execute": "query-status"}']);
  });

  it('with no machine yet, negotiates when the greeting comes with the first board', async () => {
    monitor.machine = false;
    const qmp = await freshConsole();
    await qmp.connectQmp();
    expect(monitor.fed).toEqual([]);
    expect(kinds(qmp.useQmpConsole.getState().entries)).toEqual(['note no machine yet: the greeting comes when a board is loaded']);
    monitor.loadBoard();
    await vi.waitFor(() => expect(qmp.useQmpConsole.getState().entries.at(-1)?.text).toBe('{"return": {}}'));
    expect(monitor.fed).toEqual(['{"execute": "qmp_capabilities"}']);
  });
});
