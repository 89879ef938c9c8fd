export { GdbStub, PACKET_SIZE, SIGINT, SIGTRAP, exitReply, type GdbStubEvent, type GdbStubOptions } from './stub.ts';
export { INTERRUPT, PacketDecoder, checksum, framePacket, escapeBinary, unescapeBinary, bytesToString, stringToBytes, type WireEvent } from './packets.ts';
export { targetDescriptionXml, implementedCsrs, csrName, PC_REGNUM, FIRST_CSR_REGNUM, PRIV_REGNUM } from './target-description.ts';
export { debugRead, debugWrite, debugTranslate } from './debug-memory.ts';
