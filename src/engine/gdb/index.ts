export { GdbStub, PACKET_SIZE, SIGINT, SIGTRAP, exitReply, type GdbStubEvent, type GdbStubOptions } from './stub.ts';
export { INTERRUPT, PacketDecoder, checksum, framePacket, escapeBinary, unescapeBinary, bytesToString, stringToBytes, type WireEvent } from './packets.ts';
export { debugRead, debugWrite } from './debug-memory.ts';
