import { charLength, clip } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { Reminder } from '../api.js';
import type { BotsCommands } from './index.js';
import { formatSpan, formatTime, parseWhen } from '../when.js';

const LIST_MAX = 6;

/**
 * `!remind 10m stretch` · `!remind at 14:30 standup` · `!remind list` · `!remind cancel 3`.
 * A reminder comes back where it was asked: in the channel (mentioning the asker), or as a DM.
 */
export default (deps: BotsCommands): BotCommand => ({
  name: 'remind',
  usage: '!remind <when> <text…> | list | cancel <id> — when: 10m, 1h30m, at 14:30, at 2026-12-01 09:00',
  summary: 'remind you of something later, here; list or cancel your reminders',
  minArgs: 1,
  async run(call) {
    const sub = call.args.get(0)!.toLowerCase();
    if (sub === 'list') return list(deps, call.from, call.channel);
    if (sub === 'cancel' || sub === 'delete') return cancel(deps, call.from, call.args.get(1), call.usage);

    const now = deps.clock.now();
    const cfg = deps.config.remind;
    const when = parseWhen(call.args.list, now, cfg.timeZone);
    if ('error' in when) throw new BotError(`${when.error}. Usage: ${call.usage}`);
    const text = call.args.rest(when.words).trim();
    if (text === '') throw new BotError(`what should I remind you of? Usage: ${call.usage}`);
    if (charLength(text) > cfg.maxTextLength) throw new BotError(`that's too long for a reminder (at most ${cfg.maxTextLength} characters)`);
    if (when.due - now > cfg.maxDays * 86_400_000) throw new BotError(`I keep reminders for at most ${cfg.maxDays} days`);
    if ((await deps.reminderStore.countOf(call.from)) >= cfg.maxPerUser) {
      throw new BotError(`you have ${cfg.maxPerUser} reminders waiting already; cancel one first (!remind list)`);
    }
    const r = await deps.reminderStore.add({ user: call.from, channel: call.channel ?? null, text, createdAt: now, dueAt: when.due });
    deps.reminders.schedule(r);
    const where = call.channel ? 'here' : 'in a DM';
    return `${call.channel ? `${call.from}: ` : ''}OK, I'll remind you ${where} ${describe(r, now, cfg.timeZone)} (#${r.id}).`;
  },
});

function describe(r: Reminder, now: number, timeZone: string): string {
  return `in ${formatSpan(r.dueAt - now)}, at ${formatTime(r.dueAt, now, timeZone)}`;
}

/** In a channel, the reminders asked there (others may be reading); in a DM, all of them. */
async function list(deps: BotsCommands, user: string, channel: string | undefined): Promise<string[]> {
  const mine = await deps.reminderStore.pendingOf(user, channel);
  const to = channel ? `${user}: ` : '';
  if (mine.length === 0) return [`${to}you have no reminders waiting${channel ? ' from this channel' : ''}.`];
  const now = deps.clock.now();
  const lines = mine.slice(0, LIST_MAX).map((r) =>
    `#${r.id} ${describe(r, now, deps.config.remind.timeZone)}${!channel && r.channel ? ` in ${r.channel}` : ''}: ${clip(r.text, 120)}`);
  const more = mine.length > LIST_MAX ? ` (${mine.length - LIST_MAX} more not shown)` : '';
  return [`${to}your reminders${channel ? ' from this channel' : ''}${more}:`, ...lines];
}

async function cancel(deps: BotsCommands, user: string, idText: string | undefined, usage: string): Promise<string> {
  const id = Number((idText ?? '').replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0) throw new BotError(`which one? Give its number from !remind list. Usage: ${usage}`);
  const removed = await deps.reminderStore.remove(id, user);
  if (!removed) throw new BotError(`you have no reminder #${id}`);
  deps.reminders.unschedule(id);
  return `Cancelled reminder #${id}: ${clip(removed.text, 120)}`;
}
