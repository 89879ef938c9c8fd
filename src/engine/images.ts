// Firmware images other than ELF (parsed in src/graph/image-formats.ts).
export { type ImageChunk } from '../graph/image-formats.ts';
