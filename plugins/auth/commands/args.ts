import { WhiskrError, type CommandArgs } from '../../../core/index.js';

/** `[+token] <name> <secret…>`: the optional flag asks for a reconnect token in the login reply. */
export function credentials(args: CommandArgs, usage: string): { name: string; secret: string; wantToken: boolean } {
  const wantToken = args.get(0)?.toLowerCase() === '+token';
  const at = wantToken ? 1 : 0;
  const name = args.get(at);
  const secret = args.rest(at + 1);
  if (!name || secret === '') throw new WhiskrError('BAD_ARGUMENTS', `Usage: ${usage}`);
  return { name, secret, wantToken };
}
