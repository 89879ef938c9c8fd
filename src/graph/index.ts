// src/graph: board documents → resolved machines. No DOM, no engine imports.
export * from './schema.ts';
export * from './catalog.ts';
export * from './values.ts';
export * from './resolve.ts';
export * from './machines.ts';
export * from './platforms.ts';
export * from './references.ts';
export { valueAtPointer } from './problems.ts';
export { boardToDts, boardToDtb } from './devicetree.ts';
export { addressSpaceView, addressSpaces, cpuAddressSpace, type MemorySegment } from './memory-map.ts';
export { boardToConfig, configToBoard } from './config-file.ts';
export { boardToQemuArgs, qemuArgsToBoard } from './qemu-convert.ts';
export { qemuOptionKind } from './qemu-opts.ts';
export { checkImages, imageArchitectureProblem, imageFitProblem, imageOverlapProblem, loadableImage } from './image-check.ts';
export { ImageError, elfMachineName, elfMachineOf } from './image-formats.ts';
export { editorBoardSchema } from './editor-schema.ts';
export { libraryTypes, objectTree, type ObjectTree, type TreeObject } from './object-tree.ts';
export { bundleDocumentName, documentImageFiles, isZip, packBoardBundle, startsWithElfMagic, unpackBoardBundle } from './bundle.ts';
export { cpuMarch } from './sources.ts';
export { assembleSourceImages, sourceProblemLocation } from './source-images.ts';
export { addressHint, lookupAddress } from './address-hints.ts';
export { bootRam, cpuFirmware, type PlacedImage } from './firmware.ts';
export { boardWarnings, usableLines } from './warnings.ts';
export { conventionalAddress, conventionalLine, referenceMachineType, resolvedMachineType } from './conventions.ts';
export { boardShapeProblem, boardSizeProblem, boardTextFromBytes, unusableBoardTextProblem } from './board-input.ts';
export { parseLesson, readLesson, type LessonCheck, type LessonDocument } from './lesson.ts';
export { checkPasses, objectMatches, registerWatches, type RegisterWatch, type RunObservations } from './lesson-checks.ts';
export {
  accessText,
  coreRegisterLayout,
  decodeCoreRegister,
  decodeFields,
  deviceRegisterLayout,
  registerInstances,
  type DecodedField,
  type RegisterInstance,
} from './register-layouts.ts';
