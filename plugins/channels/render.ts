import { plural, type EventOf } from '../../core/index.js';

const star = (s: string) => `* ${s}`;
const withText = (base: string, text: string | undefined) => (text ? `${base}: ${text}` : base);

/** Text renderings of the channels plugin's events (registered with ctx.render). Pure, tested by table. */
export const renderers = {
  join: (e: EventOf<'join'>) => e.members
    ? [star(`You joined ${e.channel}${e.private ? ' (private)' : ''}${e.topic ? ` — topic: ${e.topic}` : ''}`), star(`Members: ${e.members.join(', ')}`)]
    : star(`${e.user} joined ${e.channel}`),
  part: (e: EventOf<'part'>) => star(withText(`${e.user} left ${e.channel}`, e.text)),
  presence: (e: EventOf<'presence'>) => star(withText(`${e.user} is ${e.status}`, e.text)),
  topic: (e: EventOf<'topic'>) => star(e.topic ? `${e.by} set the topic of ${e.channel}: ${e.topic}` : `${e.by} cleared the topic of ${e.channel}`),
  invite: (e: EventOf<'invite'>) => star(`${e.by} invited you to ${e.channel} (/join ${e.channel})`),
  channels: (e: EventOf<'channels'>) => e.channels.length === 0 ? star('No channels.') : [star('Channels:'), ...e.channels.map((c) =>
    star(`  ${c.name} (${plural(c.members, 'member')}${c.private ? ', private' : ''})${c.topic ? ` — ${c.topic}` : ''}`))],
  who: (e: EventOf<'who'>) => star(`${e.channel ? `In ${e.channel}` : 'Online'} (${e.users.length}): ${e.users.map((u) =>
    `${u.role === 'admin' ? '@' : ''}${u.name}${u.bot ? ' [bot]' : ''}${u.status === 'online' ? '' : ` (${u.status})`}`).join(', ') || 'nobody'}`),
  whois: (e: EventOf<'whois'>) => [
    star(`${e.user}${e.bot ? ' [bot]' : ''}: ${e.status}${e.text ? ` (${e.text})` : ''}, ${e.role}`),
    star(`  channels: ${e.channels.join(' ') || 'none'}; last seen: ${e.lastSeen ?? 'never'}`),
  ],
};
