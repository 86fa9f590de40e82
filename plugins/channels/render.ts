import { plural, type EventOf } from '../../core/index.js';

const star = (s: string) => `* ${s}`;
const withText = (base: string, text: string | undefined) => (text ? `${base}: ${text}` : base);

/** "alice joined", "alice and bob left", "12 people joined (alice, bob and 10 more)". */
function crowdPart(count: number, names: string[], verb: string): string {
  if (names.length === count && count <= 2) return `${names.join(' and ')} ${verb}`;
  const rest = count - names.length;
  const listed = names.length ? ` (${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''})` : '';
  return `${count} ${count === 1 ? 'person' : 'people'} ${verb}${listed}`;
}

/** Text renderings of the channels plugin's events (registered with ctx.render). Pure, tested by table. */
export const renderers = {
  join: (e: EventOf<'join'>) => e.members
    ? [star(`You joined ${e.channel}${e.private ? ' (private)' : ''}${e.topic ? ` — topic: ${e.topic}` : ''}`),
      star(e.more ? `Members (${e.members.length} of ${e.count ?? '?'}): ${e.members.join(', ')}; more: /who ${e.channel} after=${e.members.at(-1) ?? ''}` : `Members: ${e.members.join(', ')}`)]
    : star(`${e.user} joined ${e.channel}`),
  part: (e: EventOf<'part'>) => star(withText(`${e.user} left ${e.channel}`, e.text)),
  presence: (e: EventOf<'presence'>) => star(withText(`${e.user} is ${e.status}`, e.text)),
  topic: (e: EventOf<'topic'>) => star(e.topic ? `${e.by} set the topic of ${e.channel}: ${e.topic}` : `${e.by} cleared the topic of ${e.channel}`),
  invite: (e: EventOf<'invite'>) => star(`${e.by} invited you to ${e.channel} (/join ${e.channel})`),
  channels: (e: EventOf<'channels'>) => e.channels.length === 0 ? star('No channels.') : [star('Channels:'), ...e.channels.map((c) =>
    star(`  ${c.name} (${plural(c.members, 'member')}${c.private ? ', private' : ''})${c.topic ? ` — ${c.topic}` : ''}`))],
  who: (e: EventOf<'who'>) => {
    const names = e.users.map((u) => `${u.role === 'admin' ? '@' : ''}${u.name}${u.bot ? ' [bot]' : ''}${u.status === 'online' ? '' : ` (${u.status})`}`).join(', ') || 'nobody';
    const count = e.count !== undefined ? `${e.users.length} of ${e.count}` : `${e.users.length}`;
    const more = e.next !== undefined ? `; more: /who${e.channel ? ` ${e.channel}` : ''} after=${e.next}` : '';
    return star(`${e.channel ? `In ${e.channel}` : 'Online'} (${count}): ${names}${more}`);
  },
  crowd: (e: EventOf<'crowd'>) => star(`${e.channel}: ${[
    e.joined > 0 ? crowdPart(e.joined, e.joinedNames, 'joined') : '',
    e.left > 0 ? crowdPart(e.left, e.leftNames, 'left') : '',
  ].filter(Boolean).join('; ')}`),
  whois: (e: EventOf<'whois'>) => [
    star(`${e.user}${e.bot ? ' [bot]' : ''}: ${e.status}${e.text ? ` (${e.text})` : ''}, ${e.role}`),
    star(`  channels: ${e.channels.join(' ') || 'none'}; last seen: ${e.lastSeen ?? 'never'}`),
  ],
};
