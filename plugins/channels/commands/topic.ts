import { WhiskrError, charLength, defineCommand, event } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ state }: ChannelsCommands) => defineCommand({
  name: 'topic', usage: '/topic <#channel> [text…]', summary: 'Show a channel\'s topic, or set it (members; "-" clears it)', access: 'user', minArgs: 1,
  async run({ args, user, session }) {
    if (!args.get(0)!.startsWith('#')) throw new WhiskrError('BAD_ARGUMENTS', 'Usage: /topic <#channel> [text…]');
    const ch = state.visible(args.get(0)!, user.name);
    const text = args.rest(1).trim();
    if (text === '') return event('topic', { channel: ch.name, topic: ch.topic, by: ch.topicBy ?? '' });
    if (!ch.isJoined(user.name)) throw new WhiskrError('NOT_IN_CHANNEL', `Join ${ch.name} to set its topic.`);
    state.refuseMuted(user.name);
    const max = state.config.maxTopicLength;
    if (charLength(text) > max) throw new WhiskrError('BAD_ARGUMENTS', `A topic is at most ${max} characters.`);
    await state.setTopic(ch, text === '-' ? '' : text, user.name);
    const e = event('topic', { channel: ch.name, topic: ch.topic, by: user.name });
    state.toMembers(ch, e, session);
    return e;
  },
});
