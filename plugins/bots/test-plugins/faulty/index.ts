/** A bot that misbehaves on purpose, for the runner's tests (loaded by path; never in a shipped config). */
import { definePlugin } from '../../../../core/index.js';
import '../../api.js';

export default definePlugin({
  name: 'faulty',
  version: '1.0.0',
  description: 'test bot: throws, hangs, talks too much',
  dependencies: ['bots'],
  defaults: { channels: ['#general'] },
  setup(ctx) {
    ctx.attach('bots', (bots) => bots.add({
      name: 'faulty',
      description: 'Misbehaves.',
      channels: ctx.config.channels,
      commands: [
        { name: 'boom', usage: '!boom', summary: 'throws', run: () => { throw new TypeError('cannot read properties of undefined'); } },
        { name: 'hang', usage: '!hang', summary: 'never answers', run: () => new Promise<string>(() => {}) },
        { name: 'spam', usage: '!spam', summary: 'answers with many lines', run: () => Array.from({ length: 100 }, (_, i) => `spam ${i}`) },
        { name: 'ok', usage: '!ok', summary: 'answers', run: (c) => `ok ${c.from}` },
      ],
    }, ctx.name));
  },
});
