import { describe, expect, it } from 'vitest';
import { event, type ServerEvent } from '../../core/index.js';
import { rendererWith } from '../../core/testing/index.js';
import { renderers } from './render.js';
import { renderHistory } from '../history/api.js';

const r = rendererWith({ ...renderers, history: renderHistory });

/** The same bytes, text and JSON, as when the core rendered these events (the cases were recorded from it). */
describe('channels: its events as text and JSON', () => {
  it.each<[string, ServerEvent, string, string]>([
    ['someone joined', event('join', { channel: '#general', user: 'bob' }),
      '* bob joined #general\n',
      '{"type":"join","channel":"#general","user":"bob"}\n'],
    ['you joined, with topic and members', event('join', { channel: '#general', user: 'alice', topic: 'rules', members: ['alice', 'bob'], private: false }),
      '* You joined #general — topic: rules\n* Members: alice, bob\n',
      '{"type":"join","channel":"#general","user":"alice","topic":"rules","members":["alice","bob"],"private":false}\n'],
    ['you joined a private channel without topic', event('join', { channel: '#secret', user: 'alice', members: ['alice'], private: true }),
      '* You joined #secret (private)\n* Members: alice\n',
      '{"type":"join","channel":"#secret","user":"alice","members":["alice"],"private":true}\n'],
    ['you joined a big channel: the first names, the count and how to page', event('join', { channel: '#general', user: 'alice', topic: '', members: ['alice', 'bob'], count: 5000, more: true }),
      '* You joined #general\n* Members (2 of 5000): alice, bob; more: /who #general after=bob\n',
      '{"type":"join","channel":"#general","user":"alice","topic":"","members":["alice","bob"],"count":5000,"more":true}\n'],
    ['a page of /who with more after it', event('who', { channel: '#general', users: [{ name: 'alice', status: 'online', role: 'admin', bot: false }, { name: 'bob', status: 'away', role: 'user', bot: false }], count: 5000, next: 'bob' }),
      '* In #general (2 of 5000): @alice, bob (away); more: /who #general after=bob\n',
      '{"type":"who","channel":"#general","users":[{"name":"alice","status":"online","role":"admin","bot":false},{"name":"bob","status":"away","role":"user","bot":false}],"count":5000,"next":"bob"}\n'],
    ['a crowd of joins and parts', event('crowd', { channel: '#general', joined: 12, left: 1, joinedNames: ['alice', 'bob'], leftNames: ['carol'] }),
      '* #general: 12 people joined (alice, bob and 10 more); carol left\n',
      '{"type":"crowd","channel":"#general","joined":12,"left":1,"joinedNames":["alice","bob"],"leftNames":["carol"]}\n'],
    ['a crowd of two joins', event('crowd', { channel: '#general', joined: 2, left: 0, joinedNames: ['alice', 'bob'], leftNames: [] }),
      '* #general: alice and bob joined\n',
      '{"type":"crowd","channel":"#general","joined":2,"left":0,"joinedNames":["alice","bob"],"leftNames":[]}\n'],
    ['part with text', event('part', { channel: '#general', user: 'bob', text: 'lunch' }),
      '* bob left #general: lunch\n',
      '{"type":"part","channel":"#general","user":"bob","text":"lunch"}\n'],
    ['part without text', event('part', { channel: '#general', user: 'bob', text: '' }),
      '* bob left #general\n',
      '{"type":"part","channel":"#general","user":"bob","text":""}\n'],
    ['topic set', event('topic', { channel: '#general', topic: 'be\u001b kind', by: 'bob' }),
      '* bob set the topic of #general: be^[ kind\n',
      '{"type":"topic","channel":"#general","topic":"be\\u001b kind","by":"bob"}\n'],
    ['topic cleared', event('topic', { channel: '#general', topic: '', by: 'bob' }),
      '* bob cleared the topic of #general\n',
      '{"type":"topic","channel":"#general","topic":"","by":"bob"}\n'],
    ['invite', event('invite', { channel: '#secret', by: 'bob' }),
      '* bob invited you to #secret (/join #secret)\n',
      '{"type":"invite","channel":"#secret","by":"bob"}\n'],
    ['no channels', event('channels', { channels: [] }),
      '* No channels.\n',
      '{"type":"channels","channels":[]}\n'],
    ['channels', event('channels', { channels: [{ name: '#general', topic: 'rules', members: 1, private: false }, { name: '#secret', topic: '', members: 2, private: true }] }),
      '* Channels:\n*   #general (1 member) — rules\n*   #secret (2 members, private)\n',
      '{"type":"channels","channels":[{"name":"#general","topic":"rules","members":1,"private":false},{"name":"#secret","topic":"","members":2,"private":true}]}\n'],
    ['who in a channel', event('who', { channel: '#general', users: [{ name: 'root', status: 'online', role: 'admin', bot: false }, { name: 'dice', status: 'online', role: 'user', bot: true }, { name: 'bob', status: 'away', role: 'user', bot: false }] }),
      '* In #general (3): @root, dice [bot], bob (away)\n',
      '{"type":"who","channel":"#general","users":[{"name":"root","status":"online","role":"admin","bot":false},{"name":"dice","status":"online","role":"user","bot":true},{"name":"bob","status":"away","role":"user","bot":false}]}\n'],
    ['who online, nobody', event('who', { users: [] }),
      '* Online (0): nobody\n',
      '{"type":"who","users":[]}\n'],
    ['whois a bot', event('whois', { user: 'dice', status: 'online', role: 'user', lastSeen: null, channels: [], bot: true }),
      '* dice [bot]: online, user\n*   channels: none; last seen: never\n',
      '{"type":"whois","user":"dice","status":"online","role":"user","lastSeen":null,"channels":[],"bot":true}\n'],
    ['whois an away user', event('whois', { user: 'bob', status: 'away', role: 'admin', lastSeen: '2026-11-25T14:02:03.000Z', channels: ['#general', '#dev'], text: 'lunch' }),
      '* bob: away (lunch), admin\n*   channels: #general #dev; last seen: 2026-11-25T14:02:03.000Z\n',
      '{"type":"whois","user":"bob","status":"away","role":"admin","lastSeen":"2026-11-25T14:02:03.000Z","channels":["#general","#dev"],"text":"lunch"}\n'],
    ['presence', event('presence', { user: 'bob', status: 'offline' }),
      '* bob is offline\n',
      '{"type":"presence","user":"bob","status":"offline"}\n'],
    ['presence with text', event('presence', { user: 'bob', status: 'away', text: 'lunch' }),
      '* bob is away: lunch\n',
      '{"type":"presence","user":"bob","status":"away","text":"lunch"}\n'],
  ])('%s', (_name, e, text, json) => {
    expect(r.text(e)).toBe(text);
    expect(r.json(e)).toBe(json);
  });
});
