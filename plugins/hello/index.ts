/**
 * A small example bot — copy this folder to start your own (see README.md).
 *
 * A plugin is one exported definition. Its `setup` registers things with `ctx` (here: one bot with two
 * commands, with the bots plugin's runner); everything registered through `ctx` belongs to the plugin and
 * goes away when the plugin is unloaded, so there is no teardown code to write. `/plugin reload hello` loads the edited files and swaps
 * the new version in while people stay connected; if the new version fails to load, the old one keeps running.
 */
import { definePlugin, nameKey } from '../../core/index.js';
import { BotError, type BotSpec } from '../bots/api.js';
import { helloOptions } from './config.js';

export default definePlugin({
  name: 'hello',
  version: '1.0.0',
  description: 'an example bot: !hello and !echo',
  // The bots plugin runs the bots: it puts `!` lines to them, with its limits and time-outs.
  dependencies: ['bots'],
  options: helloOptions,
  setup(ctx) {
    // ctx.config is the defaults with the config file's plugins.hello section laid over them.
    const { name, channels, greeting } = ctx.config;
    // How many times each person was greeted since the plugin was (re)loaded: state lives in setup's scope.
    const greeted = new Map<string, number>();

    const bot: BotSpec = {
      name,
      description: 'An example bot that says hello.',
      // Where the bot sits; the channels plugin seats it there (and in channels it is invited to).
      channels,
      commands: [
        {
          name: 'hello',
          // The usage and summary are what `!help hello` shows.
          usage: '!hello [name]',
          summary: 'say hello to you, or to someone',
          // `call.from` is who asked; `call.channel` is where (absent in a DM to the bot);
          // `call.args` are the words after the command. Return what the bot says: a string, a list of
          // strings (one message each), or nothing.
          run(call) {
            const who = (call.args.get(0) ?? call.from).slice(0, 32);
            const n = (greeted.get(nameKey(who)) ?? 0) + 1;
            greeted.set(nameKey(who), n);
            return `${greeting}, ${who}!${n > 1 ? ` (that's ${n} times now)` : ''}`;
          },
        },
        {
          name: 'echo',
          usage: '!echo <text…>',
          summary: 'say the text back',
          // With fewer arguments than this, the bot answers with the usage and run is not called.
          minArgs: 1,
          // A command may be async (look something up, call a service). The runner cuts it off after
          // the time limit and answers "took too long"; any error other than a BotError is logged and
          // answered with "failed" — nothing a command does can break the server.
          async run(call) {
            const text = call.args.rest(0);
            // A BotError is said to the user as it is: the way to refuse with a reason.
            if (text.length > 200) throw new BotError('that is too long to echo (at most 200 characters)');
            return text;
          },
        },
      ],
    };
    // Registered with the bots plugin's runner while this plugin is loaded (and again if bots is reloaded).
    ctx.attach('bots', (bots) => bots.add(bot, ctx.name));

    // Timers through ctx are stopped when the plugin is unloaded, e.g.:
    //   ctx.every(60_000, () => { greeted.clear(); });
    // Other plugins' services are looked up when used (with `optionalDependencies: ['channels']`), e.g. to post as the bot:
    //   await ctx.service('channels')?.post(name, '#general', 'Good morning!', { bot: true });
  },
});
