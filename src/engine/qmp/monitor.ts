// A QMP monitor: one client's session, independent of the transport. Feed it the bytes the client
// sends; it writes QMP lines (greeting, replies, events) through `write`. The protocol is QEMU's
// (docs/interop/qmp-spec): a greeting with the version and capabilities; only qmp_capabilities
// until negotiation is done; requests {"execute", "arguments", "id"}; replies {"return"} or
// {"error": {"class", "desc"}} carrying the request's id; events {"event", "data", "timestamp"}
// once negotiation is done. Requests run one at a time, in order.
import type { ControllerEvent } from '../run-control.ts';
import { findCommand, checkArguments, versionInfo, type QmpServices } from './commands.ts';
import { JsonStreamer, encodeQmpJson, isJsonObject, jsonObject, qdictOrder, type JsonMessage, type JsonObject, type JsonValue } from './json.ts';
import { QmpError, visitMembers } from './qapi.ts';

export interface QmpMonitorOptions {
  /** Writes text to the client (each message is one line ending in CR LF, as QEMU sends them). */
  write: (text: string) => void;
}

const NEGOTIATION_ONLY = "Expecting capabilities negotiation with 'qmp_capabilities'";

export class QmpMonitor {
  private negotiated = false;
  private readonly streamer: JsonStreamer;
  private readonly pending: JsonMessage[] = [];
  private draining = false;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private services: QmpServices,
    private readonly options: QmpMonitorOptions,
  ) {
    this.streamer = new JsonStreamer((message) => this.enqueue(message));
  }

  /** Send the greeting and start forwarding events (once the client has negotiated). */
  start(): void {
    this.send({ QMP: { version: versionInfo(), capabilities: [] } });
    this.unsubscribe = this.services.controller.onEvent((event) => this.event(event));
  }

  /**
   * Go on with another controller (the designer loaded a new board into its worker): commands and
   * events are the new one's from now on; negotiation and queued requests carry over.
   */
  switchController(controller: QmpServices['controller']): void {
    this.services = { ...this.services, controller };
    if (this.unsubscribe === undefined || this.closed) return; // not started, or closed: nothing to listen to
    this.unsubscribe();
    this.unsubscribe = controller.onEvent((event) => this.event(event));
  }

  /** Bytes from the client. */
  feed(chunk: Uint8Array | string): void {
    if (!this.closed) this.streamer.feed(chunk);
  }

  /** The client went away: stop sending and forget queued requests. */
  close(): void {
    this.closed = true;
    this.pending.length = 0;
    this.unsubscribe?.();
  }

  /** Resolves when every request fed so far has been answered. */
  settled(): Promise<void> {
    return this.idle;
  }

  private send(message: object): void {
    if (!this.closed) this.options.write(`${encodeQmpJson(message)}\r\n`);
  }

  private event(event: ControllerEvent): void {
    if (!this.negotiated) return;
    const message: Record<string, unknown> = { event: event.event };
    if ('data' in event) message.data = event.data;
    message.timestamp = { seconds: event.timestamp.seconds, microseconds: event.timestamp.microseconds };
    this.send(message);
  }

  private enqueue(message: JsonMessage): void {
    this.pending.push(message);
    if (!this.draining) this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        const message = this.pending.shift()!;
        const reply = this.handle(message);
        if (reply instanceof Promise) this.send(await reply);
        else this.send(reply);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The reply to one message (a Promise only for commands that wait, such as x-exit-preconfig). */
  private handle(message: JsonMessage): object | Promise<object> {
    if (!message.ok) return errorReply(new QmpError('GenericError', message.error), undefined);
    const request = message.value;
    if (!isJsonObject(request)) return errorReply(new QmpError('GenericError', 'QMP input must be a JSON object'), undefined);
    const hasId = Object.prototype.hasOwnProperty.call(request, 'id');
    const id = hasId ? request.id : undefined;
    const fail = (error: QmpError) => errorReply(error, hasId ? { id: id! } : undefined);
    try {
      const { command: name, args } = checkRequest(request);
      if (!this.negotiated) {
        if (name !== 'qmp_capabilities') return fail(new QmpError('CommandNotFound', NEGOTIATION_ONLY));
        const checked = visitMembers([{ name: 'enable', type: { list: { enum: 'QMPCapability', values: ['oob'] } }, optional: true }], args);
        const enable = (checked.enable as string[] | undefined) ?? [];
        if (enable.length > 0) throw new QmpError('GenericError', `Capability ${enable[0]} not available`);
        this.negotiated = true;
        return okReply({}, hasId, id);
      }
      const command = findCommand(name);
      if (command === undefined) throw new QmpError('CommandNotFound', `The command ${name} has not been found`);
      if (this.services.controller.status === 'preconfig' && !command.preconfig) {
        throw new QmpError('GenericError', `The command '${name}' is permitted only after machine initialization has completed`);
      }
      const checked = checkArguments(command, args);
      const result = command.run(checked, this.services, args);
      if (result instanceof Promise) {
        return result.then(
          (value) => okReply(value, hasId, id),
          (error) => fail(asQmpError(error)),
        );
      }
      return okReply(result, hasId, id);
    } catch (error) {
      return fail(asQmpError(error));
    }
  }
}

/** QEMU's checks of the request object itself, member by member in QDict order. */
function checkRequest(request: JsonObject): { command: string; args: JsonObject } {
  let command: string | undefined;
  for (const [key, value] of qdictOrder(request) as Array<[string, JsonValue]>) {
    if (key === 'execute') {
      if (typeof value !== 'string') throw new QmpError('GenericError', "QMP input member 'execute' must be a string");
      command = value;
    } else if (key === 'arguments') {
      if (!isJsonObject(value)) throw new QmpError('GenericError', "QMP input member 'arguments' must be an object");
    } else if (key !== 'id') {
      throw new QmpError('GenericError', `QMP input member '${key}' is unexpected`);
    }
  }
  if (command === undefined) throw new QmpError('GenericError', "QMP input lacks member 'execute'");
  const args = Object.prototype.hasOwnProperty.call(request, 'arguments') ? (request.arguments as JsonObject) : jsonObject();
  return { command, args };
}

function asQmpError(error: unknown): QmpError {
  if (error instanceof QmpError) return error;
  // A bug must not take the machine down: the client gets an error, the session goes on.
  return new QmpError('GenericError', `internal error: ${error instanceof Error ? error.message : String(error)}`);
}

function okReply(value: unknown, hasId: boolean, id: JsonValue | undefined): object {
  const reply: Record<string, unknown> = { return: value ?? {} };
  if (hasId) reply.id = id ?? null;
  return reply;
}

function errorReply(error: QmpError, withId: { id: JsonValue } | undefined): object {
  const reply: Record<string, unknown> = { error: { class: error.errorClass, desc: error.desc } };
  if (withId !== undefined) reply.id = withId.id;
  return reply;
}
