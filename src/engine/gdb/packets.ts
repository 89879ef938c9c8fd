// GDB remote serial protocol framing: `$payload#cc` packets with a modulo-256 checksum, `+`/`-`
// acknowledgements, the interrupt byte 0x03 (Ctrl-C) outside packets, and the binary escape
// (`}` then the byte XOR 0x20) used by X packets and qXfer replies. Payloads are handled as
// "byte strings": one character per byte (char code 0–255), so binary data passes unchanged.

/** The byte gdb sends, outside any packet, to interrupt a running target. */
export const INTERRUPT = 0x03;

export type WireEvent =
  | { kind: 'packet'; payload: string }
  /** A packet whose checksum did not match (the receiver answers `-`). */
  | { kind: 'corrupt'; payload: string }
  | { kind: 'interrupt' }
  | { kind: 'ack' }
  | { kind: 'nack' };

export function checksum(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum = (sum + payload.charCodeAt(i)) & 0xff;
  return sum;
}

/** `$payload#cc` (the payload must already be escaped where it holds binary data). */
export function framePacket(payload: string): string {
  return `$${payload}#${checksum(payload).toString(16).padStart(2, '0')}`;
}

/** A byte string as bytes (char codes 0–255). */
export function stringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}


const NEEDS_ESCAPE = new Set([0x23 /* # */, 0x24 /* $ */, 0x7d /* } */, 0x2a /* * */]);

/** Escape binary data for a packet: `#`, `$`, `}` and `*` become `}` followed by the byte XOR 0x20. */
export function escapeBinary(data: string): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    out += NEEDS_ESCAPE.has(code) ? `}${String.fromCharCode(code ^ 0x20)}` : data[i];
  }
  return out;
}

export function unescapeBinary(data: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    if (code === 0x7d && i + 1 < data.length) bytes.push(data.charCodeAt(++i) ^ 0x20);
    else bytes.push(code & 0xff);
  }
  return Uint8Array.from(bytes);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Hex digits to bytes, or undefined when the text is not an even number of hex digits. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** A 32-bit value as gdb shows a little-endian register: 8 hex digits, lowest byte first. */
export function hexLe32(value: number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ((value >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

/** Little-endian hex (up to 4 bytes) as an unsigned 32-bit value, or undefined when malformed. */
export function parseHexLe32(text: string): number | undefined {
  const bytes = fromHex(text);
  if (bytes === undefined || bytes.length === 0 || bytes.length > 4) return undefined;
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value * 256 + bytes[i]) >>> 0;
  return value;
}

/** A register of `bytes` bytes (a 64-bit float register: 8) as gdb shows it: lowest byte first. */
export function hexLe(value: bigint, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Number((value >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return out;
}

/** Exactly `bytes` bytes of little-endian hex as an unsigned value, or undefined when malformed or of another length. */
export function parseHexLe(text: string, bytes: number): bigint | undefined {
  const data = fromHex(text);
  if (data === undefined || data.length !== bytes) return undefined;
  let value = 0n;
  for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]);
  return value;
}

/** Splits a byte stream from gdb into packets, acks and interrupts, whatever the chunking. */
export class PacketDecoder {
  private state: 'idle' | 'payload' | 'checksum' = 'idle';
  private payload = '';
  private sum = '';

  feed(chunk: Uint8Array): WireEvent[] {
    const events: WireEvent[] = [];
    for (const byte of chunk) {
      if (this.state === 'idle') {
        if (byte === 0x24 /* $ */) {
          this.state = 'payload';
          this.payload = '';
        } else if (byte === INTERRUPT) events.push({ kind: 'interrupt' });
        else if (byte === 0x2b /* + */) events.push({ kind: 'ack' });
        else if (byte === 0x2d /* - */) events.push({ kind: 'nack' });
        // anything else between packets is noise and is dropped
      } else if (this.state === 'payload') {
        if (byte === 0x23 /* # */) {
          this.state = 'checksum';
          this.sum = '';
        } else if (byte === 0x24) {
          this.payload = ''; // a new packet starts: the unfinished one is dropped
        } else this.payload += String.fromCharCode(byte);
      } else {
        this.sum += String.fromCharCode(byte);
        if (this.sum.length === 2) {
          this.state = 'idle';
          const expected = parseInt(this.sum, 16);
          events.push(/^[0-9a-fA-F]{2}$/.test(this.sum) && expected === checksum(this.payload) ? { kind: 'packet', payload: this.payload } : { kind: 'corrupt', payload: this.payload });
        }
      }
    }
    return events;
  }
}
