// src/graph: board documents → resolved machines. No DOM, no engine imports.
export * from './schema.ts';
export * from './catalog.ts';
export * from './values.ts';
export * from './resolve.ts';
export * from './machines.ts';
export * from './platforms.ts';
export * from './references.ts';
export { suggestion, valueAtPointer } from './problems.ts';
export { boardToDts, boardToDtb } from './devicetree.ts';
export { addressSpaceView, addressSpaces, type MemorySegment } from './memory-map.ts';
