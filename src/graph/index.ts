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
export { boardToConfig, configToBoard, type ConfigResult } from './config-file.ts';
export { boardToQemuArgs, qemuArgsToBoard, type ConvertResult, type QemuRunOptions } from './qemu-convert.ts';
export { parseQemuArgs, parseQemuOpts, printQemuOpts, qemuOptionKind, QemuOptsError, type QemuCommandLine, type QemuOpts } from './qemu-opts.ts';
export { checkImages, imageFitProblem, loadableImage, type ImageLayout, type LoadableImage } from './image-check.ts';
export { ImageError, parseElf, parseIntelHex, type ElfImage, type ElfSegment, type ImageChunk } from './image-formats.ts';
export { editorBoardSchema } from './editor-schema.ts';
export { libraryTypes, objectTree, type ObjectTree, type TreeObject } from './object-tree.ts';
export { BUNDLE_EXPANDED_LIMIT, bundleDocumentName, documentImageFiles, isZip, packBoardBundle, startsWithElfMagic, unpackBoardBundle, type BoardBundle, type UnpackResult } from './bundle.ts';
