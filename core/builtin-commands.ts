import { WhiskrError } from './errors.js';
import { event } from './events.js';
import { defineCommand, helpOf, type CommandRegistry, type CommandSpec } from './commands.js';
import type { Sessions } from './capabilities.js';

/** The core's own commands (docs/protocol.md, "Core commands"): everything else comes from plugins. */
export const builtinCommands = (commands: CommandRegistry, sessions: Sessions): CommandSpec[] => [
  defineCommand({
    name: 'help', usage: '/help [command]', summary: 'List the commands, or show how to use one', access: 'anyone',
    run({ args, session }) {
      const wanted = args.get(0)?.replace(/^\//, '');
      if (wanted) {
        const spec = commands.find(wanted);
        if (!spec) throw new WhiskrError('UNKNOWN_COMMAND', `Unknown command /${wanted}; /help lists the commands.`);
        return event('help', { commands: [helpOf(spec)] });
      }
      const visible = commands.all().filter((c) => c.access !== 'admin' || session.isAdmin);
      return event('help', { commands: visible.map(helpOf) });
    },
  }),
  defineCommand({
    name: 'format', usage: '/format text|json', summary: 'Choose how the server writes to you: text for people, json for programs', access: 'anyone', minArgs: 1,
    run({ args, session }) {
      const format = args.get(0)!.toLowerCase();
      if (format !== 'text' && format !== 'json') throw new WhiskrError('BAD_ARGUMENTS', 'Usage: /format text|json');
      session.format = format === 'json' ? 'json' : 'text'; // the constants, not a copy per session
      return event('ok', { command: 'format', text: `Output format is now ${format}.` });
    },
  }),
  defineCommand({
    name: 'ping', usage: '/ping [token]', summary: 'Check that the server answers', access: 'anyone',
    run: ({ args }) => event('pong', { token: args.rest(0) }),
  }),
  defineCommand({
    name: 'quit', usage: '/quit [text…]', summary: 'Say goodbye and close the connection', access: 'anyone',
    run(ctx) {
      ctx.reply(event('bye', { text: 'Bye.' }));
      sessions.close(ctx.session, 'quit', { quitText: ctx.args.rest(0) });
    },
  }),
];
