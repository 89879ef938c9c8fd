// Firmware images other than ELF: raw binaries and Intel HEX.
import { ImageError } from './elf.ts';

export interface ImageChunk {
  address: number;
  data: Uint8Array;
}

/** Parse Intel HEX text (record types 00 data, 01 EOF, 02/04 segment/linear base, 03/05 start). */
export function parseIntelHex(bytes: Uint8Array): { chunks: ImageChunk[]; entry: number | undefined } {
  const text = new TextDecoder().decode(bytes);
  const chunks: ImageChunk[] = [];
  let base = 0;
  let entry: number | undefined;
  let ended = false;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length && !ended; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `line ${n + 1}`;
    if (!/^:([0-9a-fA-F]{2})+$/.test(line)) throw new ImageError(`is not Intel HEX: ${where} does not look like a ":…" hex record`);
    const record = Uint8Array.from(line.slice(1).match(/../g)!.map((h) => parseInt(h, 16)));
    const length = record[0];
    if (record.length !== length + 5) throw new ImageError(`is not valid Intel HEX: ${where} has the wrong length`);
    const sum = record.reduce((a, b) => (a + b) & 0xff, 0);
    if (sum !== 0) throw new ImageError(`is not valid Intel HEX: ${where} has a bad checksum`);
    const offset = (record[1] << 8) | record[2];
    const type = record[3];
    const data = record.subarray(4, 4 + length);
    switch (type) {
      case 0x00:
        chunks.push({ address: (base + offset) >>> 0, data: data.slice() });
        break;
      case 0x01:
        ended = true;
        break;
      case 0x02:
        base = ((data[0] << 8) | data[1]) * 16;
        break;
      case 0x04:
        base = (((data[0] << 8) | data[1]) << 16) >>> 0;
        break;
      case 0x03:
        entry = (((data[0] << 8) | data[1]) * 16 + ((data[2] << 8) | data[3])) >>> 0;
        break;
      case 0x05:
        entry = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
        break;
      default:
        throw new ImageError(`is not valid Intel HEX: ${where} has unknown record type ${type}`);
    }
  }
  if (!ended) throw new ImageError('is not valid Intel HEX: it has no end-of-file record (:00000001FF)');
  return { chunks, entry };
}
