import { describe, expect, it } from 'vitest';
import { event, type ServerEvent } from '../../core/index.js';
import { rendererWith } from '../../core/testing/index.js';
import { renderers } from './render.js';

const r = rendererWith(renderers);

/** The same bytes, text and JSON, as when the core rendered these events (the cases were recorded from it). */
describe('auth: its events as text and JSON', () => {
  it.each<[string, ServerEvent, string, string]>([
    ['login', event('login', { user: 'alice', role: 'user' }),
      '* Logged in as alice.\n',
      '{"type":"login","user":"alice","role":"user"}\n'],
    ['login as admin with a token', event('login', { user: 'root', role: 'admin', token: 'abc', tokenExpires: '2026-11-26T14:02:03.000Z' }),
      '* Logged in as root (admin).\n* Reconnect token (until 2026-11-26T14:02:03.000Z): /resume root abc\n',
      '{"type":"login","user":"root","role":"admin","token":"abc","tokenExpires":"2026-11-26T14:02:03.000Z"}\n'],
    ['whoami', event('whoami', { user: 'alice', role: 'user', channels: ['#general', '#dev'], target: '#dev' }),
      '* You are alice (user); channels: #general #dev; target: #dev\n',
      '{"type":"whoami","user":"alice","role":"user","channels":["#general","#dev"],"target":"#dev"}\n'],
    ['whoami, nowhere', event('whoami', { user: 'alice', role: 'admin', channels: [], target: null }),
      '* You are alice (admin); channels: none; target: none\n',
      '{"type":"whoami","user":"alice","role":"admin","channels":[],"target":null}\n'],
  ])('%s', (_name, e, text, json) => {
    expect(r.text(e)).toBe(text);
    expect(r.json(e)).toBe(json);
  });
});
