const CHANNEL = /^#[A-Za-z0-9_.-]{1,49}$/;

/** Channel names: `#` then 1–49 letters, digits, `_`, `-` or `.` (compared with nameKey, as user names are). */
export function isValidChannelName(name: string): boolean { return CHANNEL.test(name); }
