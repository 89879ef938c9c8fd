// The error both halves of a monitor's controller refuse a request with: run control
// (./run-control.ts: "stop" before the machine exists, "cont" after a shutdown) and preconfig editing
// (./preconfig.ts: an edit that breaks the board). QMP maps it to an error class (./qmp/commands.ts).

/** A refused request. `kind` says which QMP error class it maps to. */
export class ControllerError extends Error {
  constructor(
    message: string,
    readonly kind: 'GenericError' | 'DeviceNotFound' = 'GenericError',
  ) {
    super(message);
    this.name = 'ControllerError';
  }
}
