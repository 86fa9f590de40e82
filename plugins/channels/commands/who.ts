import { WhiskrError, defineCommand, event, type Role } from '../../../core/index.js';
import type { WhoEntry } from '../api.js';
import { compareNames } from '../roster.js';
import type { ChannelsCommands } from './index.js';

const USAGE = '/who [#channel] [after=<name>]';

/** The arguments of /who, in any order: a channel, and the cursor of the page before. */
export function parseWhoArgs(args: readonly string[]): { channel?: string; after?: string } {
  const out: { channel?: string; after?: string } = {};
  const bad = (why: string): never => { throw new WhiskrError('BAD_ARGUMENTS', `${why}. Usage: ${USAGE} (for one user: /whois <user>)`); };
  for (const a of args) {
    const m = /^after=(.+)$/i.exec(a);
    if (m) {
      if (out.after !== undefined) bad('Give one after=');
      out.after = m[1]!;
    } else if (a.startsWith('#')) {
      if (out.channel !== undefined) bad(`Give one channel (${out.channel} or ${a}?)`);
      out.channel = a;
    } else bad(`${a} is not a channel`);
  }
  return out;
}

export default ({ state, presence }: ChannelsCommands) => defineCommand({
  name: 'who', usage: USAGE,
  summary: 'Who is online, or who is in a channel now (bots included), a page at a time (after= the last name for the next)', access: 'user',
  run({ args, user }) {
    const { channel, after } = parseWhoArgs(args.list);
    const limit = state.config.whoPage;
    // A user on another node of a cluster has the role they logged in with there.
    const roleOf = (name: string): Role => state.ctx.sessions.of(name).values().next().value?.user?.role ?? state.ctx.cluster.remoteUser(name)?.role ?? 'user';
    const entry = (name: string, bot: boolean): WhoEntry => ({ name, status: presence.of(name).status, role: bot ? 'user' : roleOf(name), bot });
    if (channel) {
      const ch = state.visible(channel, user.name);
      const page = ch.roster.page(limit, after);
      const users = page.names.map((n) => entry(n, ch.roster.isBot(n)));
      return event('who', { channel: ch.name, users, ...cut(after !== undefined, page.more, ch.presentCount, page.names) });
    }
    // Everyone online and every bot: sorted here, once per /who (the channel's roster is kept sorted instead).
    const all = new Map<string, WhoEntry>();
    for (const u of state.ctx.sessions.onlineUsers()) all.set(u.name, { name: u.name, status: presence.of(u.name).status, role: u.role, bot: false });
    // …and on the other nodes of a cluster (one entry per user, wherever their sessions are).
    for (const name of state.ctx.cluster.remoteUsers()) if (!state.ctx.sessions.of(name).size) all.set(name, entry(name, false));
    for (const b of state.bots.all()) all.set(b.name, entry(b.name, true));
    const sorted = [...all.values()].sort((a, b) => compareNames(a.name, b.name));
    const from = after === undefined ? 0 : sorted.findIndex((e) => compareNames(e.name, after) > 0);
    const start = from < 0 ? sorted.length : from;
    const users = sorted.slice(start, start + limit);
    return event('who', { users, ...cut(after !== undefined, start + users.length < sorted.length, sorted.length, users.map((u) => u.name)) });
  },
});

/** A page that is not everything (a cursor was given, or there are more) says how many in all, and the next cursor. */
function cut(paged: boolean, more: boolean, count: number, names: readonly string[]): { count?: number; next?: string } {
  if (!paged && !more) return {};
  return { count, ...(more && names.length ? { next: names.at(-1)! } : {}) };
}
