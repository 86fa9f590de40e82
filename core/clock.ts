/** Time as the server sees it; tests inject their own to exercise expiry and retention. */
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() };
export const isoTime = (ms: number): string => new Date(ms).toISOString();
