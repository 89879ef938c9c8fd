// Drains the serial ring into a sink (the terminal), splitting the stream at session boundaries:
// when the worker starts the guest again (load or reset), output of the old session is dropped
// and the sink cleared exactly where the new session's first byte begins.
import type { SerialRing } from '../workers/serial-ring.ts';

export interface SerialSink {
  /** Drops everything shown so far: the guest started again from the beginning. */
  clear(): void;
  write(bytes: Uint8Array): void;
  /** False while the sink is still busy with earlier output; the ring then holds the rest (and the guest waits). */
  ready?(): boolean;
}

export interface SessionMark {
  session: number;
  /** Serial ring write position at which the session's output begins. */
  sessionStart: number;
}

export class SerialDrain {
  private seenSession = 0;
  private clearedAt: number | null = null;

  constructor(
    private readonly ring: SerialRing,
    private readonly readSession: () => SessionMark,
  ) {}

  /**
   * Moves pending output into `sink`. The bytes are read before the session words: the worker
   * stores the boundary and bumps the session before it writes any byte of the new session, so a
   * session change that the bytes just read belong to is always seen here, and its boundary lies
   * within those bytes or still ahead in the ring.
   */
  drain(sink: SerialSink, max = Infinity): void {
    const tail = this.ring.tail();
    const bytes = this.ring.read(max);
    const { session, sessionStart } = this.readSession();
    if (session !== this.seenSession) {
      this.seenSession = session;
      // A start position already handled means no byte was written since: nothing to clear.
      if (sessionStart !== this.clearedAt) {
        this.clearedAt = sessionStart;
        const offset = (sessionStart - tail) >>> 0;
        sink.clear();
        if (offset <= bytes.length) {
          if (offset < bytes.length) sink.write(bytes.subarray(offset));
        } else {
          this.ring.readUntil(sessionStart >>> 0);
        }
        return;
      }
    }
    if (bytes.length > 0) sink.write(bytes);
  }
}
