// Command arguments checked the way QEMU's generated QAPI code checks them: members in declaration
// order (the first missing or mistyped one is the error), then any member the command does not
// take. Nothing runs until the arguments have passed, so a bad request has no side effect.
// Messages are QEMU's: "Parameter 'path' is missing", "Invalid parameter type for 'path',
// expected: string", "Parameter 'x' is unexpected", "Parameter 'type' does not accept value 'y'".
import { JsonFloat, isJsonObject, qdictOrder, type JsonObject, type JsonValue } from './json.ts';

/** QMP error classes (QAPI's QapiErrorClass). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotFound' | 'DeviceNotActive' | 'KVMMissingCap';

export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    readonly desc: string,
  ) {
    super(desc);
    this.name = 'QmpError';
  }
}

export const genericError = (desc: string) => new QmpError('GenericError', desc);

export type QapiType =
  | 'str'
  | 'bool'
  | 'int'
  | 'uint32'
  | 'uint64'
  | 'number'
  | 'any'
  | { readonly enum: string; readonly values: readonly string[] }
  | { readonly struct: string; readonly members: readonly QapiMember[] }
  | { readonly list: QapiType }
  /** An alternate of an integer and a string (BoardLab's document values: 4096 or "4K"). */
  | { readonly alternate: string; readonly of: readonly ['int', 'str'] };

export interface QapiMember {
  readonly name: string;
  readonly type: QapiType;
  readonly optional?: boolean;
  readonly doc?: string;
}

const typeError = (name: string, expected: string) => new QmpError('GenericError', `Invalid parameter type for '${name}', expected: ${expected}`);

function isInteger(value: JsonValue): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** Check one value against a type; returns it converted (bigints stay bigints only for uint64/int). */
export function visit(type: QapiType, value: JsonValue, fullName: string, name: string): unknown {
  if (type === 'any') return value;
  if (type === 'str') {
    if (typeof value !== 'string') throw typeError(fullName, 'string');
    return value;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw typeError(fullName, 'boolean');
    return value;
  }
  if (type === 'number') {
    if (value instanceof JsonFloat) return value.value;
    if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
    throw typeError(fullName, 'number');
  }
  if (type === 'int') {
    if (!isInteger(value) || BigInt(value) < -(1n << 63n) || BigInt(value) >= 1n << 63n) throw typeError(fullName, 'integer');
    return value;
  }
  if (type === 'uint32' || type === 'uint64') {
    // QEMU takes negative numbers as their 64-bit two's complement ("for backward compatibility").
    if (!isInteger(value)) throw new QmpError('GenericError', `Parameter '${fullName}' expects uint64`);
    const big = BigInt.asUintN(64, BigInt(value));
    if (type === 'uint32' && big > 0xffffffffn) throw new QmpError('GenericError', `Parameter '${name}' expects uint32_t`);
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  if ('enum' in type) {
    if (typeof value !== 'string') throw typeError(fullName, 'string');
    if (!type.values.includes(value)) throw new QmpError('GenericError', `Parameter '${name}' does not accept value '${value}'`);
    return value;
  }
  if ('list' in type) {
    if (!Array.isArray(value)) throw typeError(fullName, 'array');
    return value.map((item, i) => visit(type.list, item, `${fullName}[${i}]`, 'null'));
  }
  if ('alternate' in type) {
    if (isInteger(value)) return visit('int', value, fullName, name);
    if (typeof value === 'string') return value;
    throw typeError(fullName, type.alternate);
  }
  if (!isJsonObject(value)) throw typeError(fullName, 'object');
  return visitMembers(type.members, value, `${fullName}.`);
}

/** Check an argument object against members: missing and mistyped members first, then unknown ones. */
export function visitMembers(members: readonly QapiMember[], args: JsonObject, prefix = ''): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const member of members) {
    const fullName = `${prefix}${member.name}`;
    if (!Object.prototype.hasOwnProperty.call(args, member.name)) {
      if (member.optional) continue;
      throw new QmpError('GenericError', `Parameter '${fullName}' is missing`);
    }
    result[member.name] = visit(member.type, args[member.name], fullName, member.name);
  }
  // QEMU reports the first unknown member in its QDict order.
  const known = new Set(members.map((m) => m.name));
  for (const [key] of qdictOrder(args)) {
    if (!known.has(key)) throw new QmpError('GenericError', `Parameter '${prefix}${key}' is unexpected`);
  }
  return result;
}

/** A short description of a type, for documentation and query-commands. */
export function typeName(type: QapiType): string {
  if (typeof type === 'string') return type;
  if ('enum' in type) return type.enum;
  if ('struct' in type) return type.struct;
  if ('list' in type) return `[${typeName(type.list)}]`;
  return type.alternate;
}
