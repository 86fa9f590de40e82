import type { JsonEvent } from '../../core/testing/index.js';

/** What only the channels plugin's tests need; the rest of the harness is core/testing. */

/** A join reply (the joiner's own, with the member list), not another member arriving. */
export const full = (e: JsonEvent): boolean => e.members !== undefined;
