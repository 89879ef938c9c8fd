import { describe, expect, it } from 'vitest';
import { PacketDecoder, checksum, escapeBinary, framePacket, fromHex, hexLe32, parseHexLe32, stringToBytes, toHex, unescapeBinary } from './packets.ts';

describe('GDB remote protocol framing', () => {
  it('frames a packet with the modulo-256 checksum in two hex digits', () => {
    expect(checksum('OK')).toBe(0x9a);
    expect(framePacket('OK')).toBe('$OK#9a');
    expect(framePacket('')).toBe('$#00');
    expect(framePacket('qSupported:swbreak+')).toMatch(/^\$qSupported:swbreak\+#[0-9a-f]{2}$/);
  });

  it('decodes packets, acks and Ctrl-C whatever the chunking', () => {
    const wire = `+${framePacket('g')}\x03-${framePacket('m80000000,4')}`;
    const whole = new PacketDecoder().feed(stringToBytes(wire));
    const decoder = new PacketDecoder();
    const byByte = [...wire].flatMap((ch) => decoder.feed(stringToBytes(ch)));
    const expected = [{ kind: 'ack' }, { kind: 'packet', payload: 'g' }, { kind: 'interrupt' }, { kind: 'nack' }, { kind: 'packet', payload: 'm80000000,4' }];
    expect(whole).toEqual(expected);
    expect(byByte).toEqual(expected);
  });

  it('reports a packet with a wrong or malformed checksum as corrupt', () => {
    expect(new PacketDecoder().feed(stringToBytes('$g#00'))).toEqual([{ kind: 'corrupt', payload: 'g' }]);
    expect(new PacketDecoder().feed(stringToBytes('$g#zz'))).toEqual([{ kind: 'corrupt', payload: 'g' }]);
  });

  it('drops noise between packets and an unfinished packet when a new one starts', () => {
    expect(new PacketDecoder().feed(stringToBytes(`xyz$abc${framePacket('?')}`))).toEqual([{ kind: 'packet', payload: '?' }]);
  });

  it('escapes # $ } * in binary data and unescapes them again', () => {
    const data = String.fromCharCode(0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x41);
    const escaped = escapeBinary(data);
    expect(escaped).toBe('}\x03}\x04}]}\x0a\x00\xffA');
    expect([...unescapeBinary(escaped)]).toEqual([0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x41]);
  });

  it('converts hex and little-endian register values', () => {
    expect(toHex(Uint8Array.from([0, 0xab, 0x10]))).toBe('00ab10');
    expect([...fromHex('00ab10')!]).toEqual([0, 0xab, 0x10]);
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
    expect(hexLe32(0x80000124)).toBe('24010080');
    expect(hexLe32(-1)).toBe('ffffffff');
    expect(parseHexLe32('24010080')).toBe(0x80000124);
    expect(parseHexLe32('')).toBeUndefined();
    expect(parseHexLe32('0011223344')).toBeUndefined();
  });
});
