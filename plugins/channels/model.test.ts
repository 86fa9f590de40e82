import { describe, expect, it } from 'vitest';
import { channelArg } from './names.js';
import { Channel } from './model.js';

describe('channel names', () => {
  it.each([
    ['#general', '#general'], ['general', '#general'], ['#Dev.ops-1_x', '#Dev.ops-1_x'], [`#${'a'.repeat(49)}`, `#${'a'.repeat(49)}`],
  ])('%s is the channel %s', (raw, name) => expect(channelArg(raw)).toBe(name));

  it.each([['#'], ['#a b'], ['#bad!'], [`#${'a'.repeat(50)}`], ['##x'], [''], [undefined]])('%s is refused with INVALID_NAME', (raw) => {
    expect(() => channelArg(raw)).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }));
  });
});

describe('Channel', () => {
  it('shows a public channel to anyone, a private one to its owner and members (invited or joined)', () => {
    const pub = new Channel(1, '#pub', false, null, '', null);
    const priv = new Channel(2, '#Priv', true, 'Alice', '', null);
    priv.setUser('bob', true);
    priv.setUser('Carol', false);
    expect(pub.visibleTo('anyone')).toBe(true);
    expect(['alice', 'BOB', 'carol', 'dave'].map((u) => priv.visibleTo(u))).toEqual([true, true, true, false]);
    expect(['bob', 'carol'].map((u) => priv.isJoined(u))).toEqual([true, false]);
    expect(priv.isOwner('ALICE')).toBe(true);
    expect(priv.key).toBe('#priv');
  });

  it('counts joined users and bots, whatever the order of changes', () => {
    const ch = new Channel(1, '#c', false, null, '', null);
    ch.setUser('a', false);
    ch.setUser('a', true);
    ch.setUser('A', true);
    ch.setUser('b', true);
    ch.bots.set('echo', 'Echo');
    expect(ch.memberCount).toBe(3);
    ch.deleteUser('a');
    ch.deleteUser('nobody');
    ch.setUser('b', false);
    expect(ch.memberCount).toBe(1);
    expect(ch.summary()).toEqual({ name: '#c', topic: '', members: 1, private: false });
  });
});
