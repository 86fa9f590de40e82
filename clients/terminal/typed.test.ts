import { describe, expect, it } from 'vitest';
import { ChatModel } from './model.js';
import { typed } from './typed.js';

/** The model of alice in #general (current) with a DM open with bob, and what typed() asked of the client. */
function setup(current = '#general') {
  const model = new ChatModel();
  model.apply({ type: 'login', user: 'alice', role: 'user' });
  model.apply({ type: 'join', channel: '#general', user: 'alice', members: ['alice'] });
  model.conversationFor('bob', 'dm');
  model.select(current);
  const sent: string[] = [];
  const calls: string[] = [];
  const client = {
    model,
    command: async (line: string) => { sent.push(line); return undefined; },
    quit: async (text?: string) => { calls.push(`quit:${text ?? ''}`); },
    reconnectNow: () => { calls.push('reconnect'); },
    logout: async () => { calls.push('logout'); },
  };
  return { model, sent, calls, client };
}

describe('what the user types', () => {
  it.each([
    ['a plain line goes to the current channel', '#general', 'hello there', ['/msg #general hello there']],
    ['in a direct conversation, to the person', 'bob', 'psst', ['/msg bob psst']],
    ['//text sends a line starting with /', '#general', '//shrug', ['/msg #general /shrug']],
    ['a server command is sent as typed', '#general', '/whois bob', ['/whois bob']],
    ['/part without a channel parts the current one', '#general', '/part see you', ['/part #general see you']],
    ['/topic without a channel is for the current one', '#general', '/topic new topic', ['/topic #general new topic']],
    ['/history with only a count is for the current conversation', 'bob', '/history 20', ['/history bob 20']],
    ['/history with a target is left alone', '#general', '/history #dev 20', ['/history #dev 20']],
    ['/close in a channel parts it', '#general', '/close', ['/part #general']],
    ['blank lines are ignored', '#general', '   ', []],
    ['plain text in the status window is not sent', '*status', 'hello?', []],
  ])('%s', async (_name, current, line, want) => {
    const { sent, client } = setup(current);
    await typed(client, line);
    expect(sent).toEqual(want);
  });

  it('handles the client\'s own commands', async () => {
    const { model, sent, calls, client } = setup();
    await typed(client, '/query carol');
    expect(model.current).toBe('carol');
    await typed(client, '/close');
    expect(model.get('carol')).toBeUndefined();
    await typed(client, '/reconnect');
    await typed(client, '/switch #general');
    expect(model.current).toBe('#general');
    await typed(client, '/switch dave');
    expect(model.current).toBe('dave');
    await typed(client, '/format text');
    expect(model.get('dave')!.entries.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/json/) });
    await typed(client, '/logout');
    await typed(client, '/quit bye all');
    expect(calls).toEqual(['reconnect', 'logout', 'quit:bye all']);
    expect(sent).toEqual([]);
    expect(model.status.entries.some((e) => e.kind === 'info' && e.level === 'error' && /status window/.test(e.text))).toBe(false);
  });
});
