/** Time as the server sees it; tests inject their own to exercise expiry and retention. */
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() };
/** A time as ISO 8601. The last one is kept: a busy server stamps many messages within the same millisecond. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
let lastMs = NaN;
let lastIso = '';
