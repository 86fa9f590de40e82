import { describe, expect, it } from 'vitest';
import { event, type ServerEvent } from '../../core/index.js';
import { rendererWith } from '../../core/testing/index.js';
import { renderers } from './text.js';

const r = rendererWith(renderers);

/** The same bytes, text and JSON, as when the core rendered these events (the cases were recorded from it). */
describe('admin: kicked and banned as text and JSON', () => {
  it.each<[string, ServerEvent, string, string]>([
    ['kicked', event('kicked', { by: 'root', text: 'stop' }),
      '* You were kicked by root: stop\n',
      '{"type":"kicked","by":"root","text":"stop"}\n'],
    ['kicked without text', event('kicked', { by: 'root', text: '' }),
      '* You were kicked by root\n',
      '{"type":"kicked","by":"root","text":""}\n'],
    ['banned until', event('banned', { by: 'root', text: 'spam', until: '2026-11-26T14:02:03.000Z' }),
      '* You were banned by root until 2026-11-26T14:02:03.000Z: spam\n',
      '{"type":"banned","by":"root","text":"spam","until":"2026-11-26T14:02:03.000Z"}\n'],
    ['banned permanently', event('banned', { by: 'root', text: '', until: null }),
      '* You were banned by root permanently\n',
      '{"type":"banned","by":"root","text":"","until":null}\n'],
  ])('%s', (_name, e, text, json) => {
    expect(r.text(e)).toBe(text);
    expect(r.json(e)).toBe(json);
  });
});
