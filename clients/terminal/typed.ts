import type { ChatClient } from './client.js';
import { isChannelName } from './events.js';

/**
 * A line the user typed, for the conversation on screen: a plain line is a message to it (`//text` sends
 * `/text`); the client's own commands are handled here; any other `/command` goes to the server as
 * typed, with the current channel filled in for the commands that default to it.
 */
export async function typed(client: Pick<ChatClient, 'model' | 'command' | 'quit' | 'logout' | 'reconnectNow'>, line: string): Promise<void> {
  const model = client.model;
  const origin = model.current;
  const conv = model.currentConversation;
  if (!line.trim()) return;
  if (line.startsWith('/') && !line.startsWith('//')) {
    const [word = '', ...rest] = line.slice(1).split(' ');
    const name = word.toLowerCase();
    const arg = rest.join(' ').trim();
    const first = rest[0] ?? '';
    switch (name) {
      case 'quit': case 'exit': await client.quit(arg); return;
      case 'query':
        if (arg) model.openDm(arg.split(' ')[0]!); else model.info('Usage: /query <user>', 'error');
        return;
      case 'clear': conv.clear(); model.changed(); return;
      case 'close':
        if (conv.kind === 'channel' && conv.joined) await client.command(`/part ${conv.name}`, origin);
        else model.close(conv.key);
        return;
      case 'reconnect': client.reconnectNow(); return;
      case 'logout': await client.logout(); return;
      case 'format': model.info('This client speaks the json format; /format is for other clients.', 'error'); return;
      case 'switch': case 'window': case 'w': {
        const target = model.get(first);
        if (target) model.select(target.key);
        else if (first && !isChannelName(first)) model.openDm(first);
        else model.info(first ? `You are not in ${first}: /join ${first}` : 'Usage: /switch <#channel|user>', 'error');
        return;
      }
    }
    const namesTarget = isChannelName(first) || (/^[A-Za-z0-9_.-]{2,32}$/.test(first) && !/^\d+$/.test(first));
    if ((name === 'part' || name === 'topic') && !isChannelName(first) && conv.kind === 'channel') line = `/${word} ${conv.name}${arg ? ' ' + arg : ''}`;
    if (name === 'history' && !namesTarget && conv.kind !== 'status') line = `/history ${conv.name}${arg ? ' ' + arg : ''}`;
    await client.command(line, origin);
    if (name === 'help' && !arg) model.info('The client also knows /query <user>, /close, /clear, /newchannel, /reconnect, /quit; F1 lists the keys.', 'info', origin);
    return;
  }
  if (conv.kind === 'status') {
    model.info('This is the status window: pick a channel (Alt-Left/Right), /join #channel or /query <user>.', 'error');
    return;
  }
  await client.command(`/msg ${conv.name} ${line.startsWith('//') ? line.slice(1) : line}`, origin);
}
