import { event, isoTime, plural, type CommandContext, type ServerEvent } from '../../../core/index.js';
import type { Restriction, RestrictionKind } from '../api.js';
import { isoOrNull, readableTime } from '../text.js';
import { durationAndText, findAccount, recordAudit, refuseSelf } from './common.js';
import type { AdminCommands } from './index.js';

/** /ban and /mute, /unban and /unmute, /bans and /mutes are one implementation each; what differs per kind is here. */
const KINDS: Record<RestrictionKind, {
  /** The reply's verb and the state it leaves the user in. */
  done: string; state: string;
  /** What a restriction without a duration is called in the reply and in the audit trail. */
  untilLifted: string; auditUntilLifted: string;
  /** Put a new restriction in force on the user's open sessions; what the reply adds. */
  enforce(deps: AdminCommands, r: Restriction, span: string): string;
  /** Tell the user it was lifted (by whom). */
  announceLift(deps: AdminCommands, user: string, by: string): void;
  liftedText(user: string): string;
}> = {
  ban: {
    done: 'Banned', state: 'banned', untilLifted: 'permanently', auditUntilLifted: 'permanent',
    enforce({ ctx }, r) {
      const n = ctx.sessions.disconnectUser(r.user, event('banned', { by: r.by, text: r.text, until: isoOrNull(r.until) }), 'banned');
      return n ? ` (${plural(n, 'session')} closed)` : '';
    },
    announceLift() {},
    liftedText: (user) => `${user} is no longer banned.`,
  },
  mute: {
    done: 'Muted', state: 'muted', untilLifted: 'until unmuted', auditUntilLifted: 'until unmuted',
    enforce({ ctx }, r, span) {
      ctx.delivery.toUser(r.user, event('notice', { from: 'server', text: `You were muted by ${r.by} ${span}${r.text ? `: ${r.text}` : '.'}` }));
      return '';
    },
    announceLift({ ctx }, user, by) {
      ctx.delivery.toUser(user, event('notice', { from: 'server', text: `You may speak again (unmuted by ${by}).` }));
    },
    liftedText: (user) => `${user} may speak again.`,
  },
};

/** `/ban|/mute <user> [duration] [text…]`. */
export async function restrict(deps: AdminCommands, kind: RestrictionKind, command: CommandContext): Promise<ServerEvent> {
  const words = KINDS[kind];
  const account = await findAccount(deps, command.args.get(0)!);
  refuseSelf(command, account, kind);
  const { ms, text } = durationAndText(deps, command.args, 1);
  const now = deps.ctx.clock.now();
  const until = ms === null ? null : now + ms;
  const restriction: Restriction = { user: account.name, by: command.user.name, text, until, created: now };
  await deps.restrictions.set(kind, restriction);
  const span = until === null ? words.untilLifted : `until ${readableTime(until)}`;
  const added = words.enforce(deps, restriction, span);
  await recordAudit(deps, command, kind, account.name, text, until === null ? words.auditUntilLifted : `${command.args.get(1)}, until ${readableTime(until)}`);
  return event('ok', { command: kind, text: `${words.done} ${account.name} ${span}${added}.` });
}

/** `/unban|/unmute <user>`: a restriction that has ended already is removed too, and reported as none. */
export async function lift(deps: AdminCommands, kind: RestrictionKind, command: CommandContext): Promise<ServerEvent> {
  const words = KINDS[kind];
  const name = command.args.get(0)!;
  const running = deps.restrictions.running(kind, name);
  const lifted = await deps.restrictions.lift(kind, name);
  const action = `un${kind}`;
  if (!running) {
    const shown = lifted?.user ?? (await findAccount(deps, name)).name; // NO_SUCH_USER for a typo
    return event('ok', { command: action, text: `${shown} was not ${words.state}.` });
  }
  words.announceLift(deps, running.user, command.user.name);
  await recordAudit(deps, command, action, running.user);
  return event('ok', { command: action, text: words.liftedText(running.user) });
}

/** `/bans`, `/mutes`: the running restrictions of a kind, oldest first. */
export function list({ restrictions }: AdminCommands, kind: RestrictionKind): ServerEvent {
  const entries = restrictions.list(kind).map((r) => ({ user: r.user, by: r.by, text: r.text, until: isoOrNull(r.until), created: isoTime(r.created) }));
  return kind === 'ban' ? event('bans', { bans: entries }) : event('mutes', { mutes: entries });
}
