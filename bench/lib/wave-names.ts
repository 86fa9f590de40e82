/** The big channel every account of the reconnect wave is a member of (the shipped auto-join). */
export const WAVE_CHANNEL = '#general';
