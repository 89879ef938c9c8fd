// src/graph: board documents → resolved machines. No DOM, no engine imports.
export * from './schema.ts';
export * from './catalog.ts';
export * from './values.ts';
export * from './resolve.ts';
export * from './machines.ts';
