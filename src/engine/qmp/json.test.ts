import { describe, expect, it } from 'vitest';
import { JsonFloat, JsonStreamer, encodeQmpJson, formatDouble, parseQmpJson, qdictBucket, type JsonMessage } from './json.ts';

/** Every message a stream of chunks yields, as QEMU would report it (value re-encoded, or the error). */
function stream(...chunks: Array<string | Uint8Array>): string[] {
  const out: string[] = [];
  const streamer = new JsonStreamer((m: JsonMessage) => out.push(m.ok ? encodeQmpJson(m.value) : `ERR ${m.error}`));
  for (const chunk of chunks) streamer.feed(chunk);
  return out;
}

describe("QMP's JSON input (QEMU's lexer, streamer and parser)", () => {
  it('splits messages by balanced brackets, across chunks and within one', () => {
    expect(stream('{"execute":', '"query-status"', '}')).toEqual(['{"execute": "query-status"}']);
    expect(stream('{"a":1} {"b":[2,3]}\n')).toEqual(['{"a": 1}', '{"b": [2, 3]}']);
    // A scalar is a whole message once its token ends.
    expect(stream('123 456\n')).toEqual(['123', '456']);
    expect(stream('"str"')).toEqual(['"str"']);
  });

  it("gives QEMU's errors for malformed JSON (checked against qemu-system-riscv32 7.2)", () => {
    expect(stream('{bad json}')).toEqual(["ERR JSON parse error, invalid keyword 'bad'"]);
    expect(stream('}')).toEqual(['ERR JSON parse error, expecting value']);
    expect(stream('{"a":1,}')).toEqual(['ERR JSON parse error, expecting value']);
    expect(stream('{"execute":"x" "y":1}')).toEqual(['ERR JSON parse error, expected separator in dict']);
    expect(stream('["a" 1]')).toEqual(['ERR JSON parse error, expected separator in list']);
    expect(stream('{1:2}')).toEqual(['ERR JSON parse error, key is not a string in object']);
    expect(stream('{"a"}')).toEqual(['ERR JSON parse error, missing : in object pair']);
    expect(stream('{"a":1,"a":2}')).toEqual(['ERR JSON parse error, duplicate key']);
    expect(stream('tru\n')).toEqual(["ERR JSON parse error, invalid keyword 'tru'"]);
    expect(stream('{"x":"q\\x"}')).toEqual(['ERR JSON parse error, invalid escape sequence in string']);
    expect(stream('{"x":"q\\uD800"}')).toEqual(['ERR JSON parse error, \\uD800 is not a valid Unicode character']);
    expect(stream('{"x":"q\\uZZZZ"}')).toEqual(['ERR JSON parse error, \\uZZZZ is not a valid Unicode character']);
    expect(stream(Uint8Array.from([0x22, 0xc3, 0x22, 0x0a]))).toEqual(['ERR JSON parse error, invalid UTF-8 sequence in string']);
  });

  it('reports stray bytes and recovers at the next newline or bracket, as QEMU does', () => {
    expect(stream('{"execute": @ "query-status"}\n')).toEqual(["ERR JSON parse error, stray '@'", 'ERR JSON parse error, expecting value']);
    expect(stream('{"a": @ x\n{"b":1}\n')).toEqual(["ERR JSON parse error, stray '@'", '{"b": 1}']);
    expect(stream('{"a": @ x \x04 {"b":1}\n')).toEqual(["ERR JSON parse error, stray '@'", "ERR JSON parse error, stray '\u0004'", '{"b": 1}']);
    expect(stream('01\n')).toEqual(["ERR JSON parse error, stray '01'"]);
    expect(stream('-\n')).toEqual(["ERR JSON parse error, stray '-\n'"]);
    expect(stream('"abc\n')).toEqual(['ERR JSON parse error, stray \'"abc\n\'']);
    expect(stream(Uint8Array.from([0xff, 0x0a]))).toEqual(["ERR JSON parse error, stray '\ufffd'"]);
    // During recovery the rest of the line is skipped: "1.5e" follows an error and is not a token.
    expect(stream('-\n', '1.5e\n', '[1,2\n', ']\n')).toEqual(["ERR JSON parse error, stray '-\n'", '[1, 2]']);
  });

  it("accepts QEMU's extensions: single-quoted strings and \\' escapes", () => {
    expect(stream("{'execute':'q\\'\"'}")).toEqual(['{"execute": "q\'\\""}']);
  });

  it('keeps integers, large integers and floats apart', () => {
    const [message] = parseQmpJson('[1, 1.0, 1e5, 123456789012345678, 18446744073709551615, 18446744073709551616, -9223372036854775809]');
    expect(message.ok).toBe(true);
    const values = (message as { value: unknown[] }).value;
    expect(values[0]).toBe(1);
    expect(values[1]).toBeInstanceOf(JsonFloat);
    expect(values[3]).toBe(123456789012345678n);
    expect(values[5]).toBeInstanceOf(JsonFloat);
    expect(encodeQmpJson(values)).toBe('[1, 1, 100000, 123456789012345678, 18446744073709551615, 1.8446744073709552e+19, -9.2233720368547758e+18]');
  });

  it('limits nesting as QEMU does', () => {
    expect(stream('['.repeat(1025))).toEqual(['ERR JSON nesting depth limit exceeded']);
  });
});

describe("QMP's JSON output (QEMU's encoder)", () => {
  it("orders members as QEMU's QDict does", () => {
    // StatusInfo is built running, singlestep, status; QEMU prints status, singlestep, running.
    expect(encodeQmpJson({ running: false, singlestep: false, status: 'prelaunch' })).toBe('{"status": "prelaunch", "singlestep": false, "running": false}');
    expect(encodeQmpJson({ major: 7, minor: 2, micro: 22 })).toBe('{"micro": 22, "minor": 2, "major": 7}');
    expect(encodeQmpJson({ return: {}, id: 1 })).toBe('{"return": {}, "id": 1}');
    expect(encodeQmpJson({ error: { class: 'GenericError', desc: 'x' }, id: 1 })).toBe('{"id": 1, "error": {"class": "GenericError", "desc": "x"}}');
    expect(encodeQmpJson({ event: 'STOP', timestamp: { seconds: 1, microseconds: 2 } })).toBe('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}');
    const [id] = parseQmpJson('{"b":1,"a":2,"__proto__":3,"":4}');
    expect(encodeQmpJson((id as { value: unknown }).value)).toBe('{"__proto__": 3, "": 4, "a": 2, "b": 1}');
    expect(qdictBucket('status')).toBe(qdictBucket('singlestep'));
  });

  it('escapes strings as QEMU does', () => {
    expect(encodeQmpJson('é\u007f\u0001\n"\\/')).toBe('"\\u00E9\\u007F\\u0001\\n\\"\\\\/"');
    expect(encodeQmpJson('😀')).toBe('"\\uD83D\\uDE00"');
    expect(encodeQmpJson('\ud800')).toBe('"\\uFFFD"');
  });

  it('prints doubles with %.17g', () => {
    expect([1.5, 0.1, 1e300, -2.5e-7, 1e20, 0.0001].map(formatDouble)).toEqual(['1.5', '0.10000000000000001', '1.0000000000000001e+300', '-2.4999999999999999e-07', '1e+20', '0.0001']);
  });
});
