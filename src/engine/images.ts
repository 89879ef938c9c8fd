// Firmware images other than ELF (parsed in src/graph/image-formats.ts).
export { parseIntelHex, type ImageChunk } from '../graph/image-formats.ts';
