/** Every error code a client can see (docs/protocol.md, "Error codes"). One list, so a typo is a type error. */
export const ErrorCodes = [
  'UNKNOWN_COMMAND', 'BAD_ARGUMENTS', 'NOT_LOGGED_IN', 'ALREADY_LOGGED_IN', 'INVALID_CREDENTIALS',
  'NAME_TAKEN', 'INVALID_NAME', 'WEAK_PASSWORD', 'REGISTRATION_CLOSED', 'BANNED', 'MUTED',
  'RATE_LIMITED', 'NO_SUCH_CHANNEL', 'NO_SUCH_USER', 'NOT_IN_CHANNEL', 'CHANNEL_EXISTS',
  'NOT_ALLOWED', 'NO_TARGET', 'LINE_TOO_LONG', 'BAD_ENCODING', 'PLUGIN_FAILED', 'INTERNAL', 'BAD_LABEL',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/**
 * An error meant for the client: its code and text are shown as they are.
 * Anything else thrown by a handler is logged with its stack and shown as INTERNAL.
 */
export class WhiskrError extends Error {
  readonly expose = true;
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'WhiskrError';
  }
}

export function isWhiskrError(err: unknown): err is WhiskrError {
  return err instanceof WhiskrError || (typeof err === 'object' && err !== null && (err as { expose?: unknown }).expose === true && typeof (err as { code?: unknown }).code === 'string');
}

/** A short description of any thrown value, for logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
