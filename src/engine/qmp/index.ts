// QMP, transport-independent: a QmpMonitor per client session over a RunController. The CLI serves
// it on sockets (src/cli/qmp-server.ts); a worker can feed it text from the designer's console.
export { QmpMonitor, type QmpMonitorOptions } from './monitor.ts';
export { COMMANDS, findCommand, qmpRunState, versionInfo, type QmpCommand, type QmpServices } from './commands.ts';
export { QmpError, type QmpErrorClass } from './qapi.ts';
export { JsonStreamer, encodeQmpJson, parseQmpJson, type JsonMessage, type JsonValue } from './json.ts';
export { QomTree, listQomTypes, machineQomType, type ObjectPropertyInfo, type ObjectTypeInfo } from './qom.ts';
export { baselineCpuModels, compareCpuModels, expandCpuModel, isaExtensions, STATIC_BASE_MODEL } from './cpu-model.ts';
