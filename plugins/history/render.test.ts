import { describe, expect, it } from 'vitest';
import { event, type ServerEvent } from '../../core/index.js';
import { rendererWith } from '../../core/testing/index.js';
import { renderHistory } from './render.js';

const r = rendererWith({ history: renderHistory });

/** The same bytes, text and JSON, as when the core rendered these events (the cases were recorded from it). */
describe('history: its events as text and JSON', () => {
  it.each<[string, ServerEvent, string, string]>([
    ['no history', event('history', { target: '#general', messages: [] }),
      '* No history in #general.\n',
      '{"type":"history","target":"#general","messages":[]}\n'],
    ['history', event('history', { target: '#general', messages: [{ id: '0000000010000', from: 'bob', text: 'hi alice', ts: '2026-11-25T14:02:03.000Z', kind: 'message', channel: '#general' }, { id: '0000000010000', from: 'bob', text: 'waves', ts: '2026-11-25T14:02:03.000Z', kind: 'action', channel: '#general', bot: true }], more: true }),
      '* History of #general (2):\n[#general 2026-11-25 14:02] <bob> hi alice\n[#general 2026-11-25 14:02] * bob(bot) waves\n',
      '{"type":"history","target":"#general","messages":[{"id":"0000000010000","from":"bob","text":"hi alice","ts":"2026-11-25T14:02:03.000Z","kind":"message","channel":"#general"},{"id":"0000000010000","from":"bob","text":"waves","ts":"2026-11-25T14:02:03.000Z","kind":"action","channel":"#general","bot":true}],"more":true}\n'],
    ['direct history', event('history', { target: 'alice', messages: [{ id: '0000000010000', from: 'bob', text: 'hi alice', ts: '2026-11-25T14:02:03.000Z', kind: 'message', to: 'alice' }] }),
      '* History of alice (1):\n[bob -> alice 2026-11-25 14:02] hi alice\n',
      '{"type":"history","target":"alice","messages":[{"id":"0000000010000","from":"bob","text":"hi alice","ts":"2026-11-25T14:02:03.000Z","kind":"message","to":"alice"}]}\n'],
  ])('%s', (_name, e, text, json) => {
    expect(r.text(e)).toBe(text);
    expect(r.json(e)).toBe(json);
  });
});
