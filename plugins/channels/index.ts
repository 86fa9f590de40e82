import { definePlugin } from '../../core/index.js';
import { channelsOptions } from './config.js';
import { migrations } from './migrations.js';
import { ChannelStore } from './store.js';
import { Chat } from './chat.js';
import { Messenger } from './messaging.js';
import { Presence } from './presence.js';
import { Seats } from './seats.js';
import { commands } from './commands/index.js';
import { isValidChannelName, type ChannelsService } from './api.js';
import { renderers } from './render.js';
import { renderHistory } from '../history/api.js';

export default definePlugin({
  name: 'channels',
  version: '1.0.0',
  description: 'public and private channels, direct messages (kept for offline users), presence, bot seats',
  dependencies: ['auth'],
  options: channelsOptions,
  migrations,
  async setup(ctx) {
    const c = ctx.config;
    const chat = new Chat(ctx, new ChannelStore(ctx.db));
    const messenger = new Messenger(chat);
    const presence = new Presence(chat, messenger);
    const seats = new Seats(chat);
    // A reload goes on with the bots of the previous version; the bots plugin hands its runner to this one when it is live.
    chat.bots.inherit(ctx.service('channels')?.botDirectory());
    // State comes from the database and the sessions already logged in (a reload keeps people in place).
    await chat.load();
    await seats.seatAll();
    // Sessions that logged in while this version was being set up (a reload) are put in place once it runs.
    ctx.after(0, () => chat.resyncSessions());
    if (c.reclaimEmptyAfterSeconds > 0) ctx.every(Math.min(60_000, c.reclaimEmptyAfterSeconds * 1000), () => chat.reclaim());

    for (const make of commands) ctx.command(make({ chat, messenger, presence, seats }));
    ctx.render('join', renderers.join);
    ctx.render('part', renderers.part);
    ctx.render('presence', renderers.presence);
    ctx.render('topic', renderers.topic);
    ctx.render('invite', renderers.invite);
    ctx.render('channels', renderers.channels);
    ctx.render('who', renderers.who);
    ctx.render('whois', renderers.whois);
    // The replay after a join is a `history` page, sent with or without the history plugin.
    ctx.render('history', renderHistory);
    ctx.text((cmd, text) => messenger.say(cmd, cmd.session.data.target, text, 'message'));
    ctx.hook('user.login', (session, info) => presence.login(session, info.first));
    ctx.hook('user.logout', (session, info) => presence.logout(session, info));
    chat.bots.watch((_change, bot) => seats.changed(bot));
    ctx.onDispose(async () => {
      chat.bots.close();
      await seats.settled();
    });

    const service: ChannelsService = {
      channelsOf: (user) => chat.joined(user).map((ch) => ch.name),
      canRead: async (user, target) => {
        if (!target.startsWith('#')) return true;
        return chat.find(target)?.visibleTo(user) ?? false;
      },
      channelName: (name) => chat.find(name)?.name,
      ensureChannel: async (name, owner) => {
        if (!isValidChannelName(name)) throw new Error(`${JSON.stringify(name)} is not a channel name`);
        return (await chat.ensure(name, owner ?? null)).name;
      },
      post: (from, target, text, opts) => messenger.post(from, target, text, opts),
      presence: (user) => presence.of(user),
      present: (name) => chat.find(name)?.presentNames(),
      targetOf: (session) => session.data.target,
      isPrivate: (name) => chat.find(name)?.isPrivate,
      lifeStart: (name) => chat.lifeStart(name),
      useBots: (directory) => chat.bots.use(directory),
      muteWith: (mutes) => {
        chat.mutes = mutes;
        return () => { if (chat.mutes === mutes) chat.mutes = undefined; };
      },
      replayFrom: (recent) => {
        chat.recent = recent;
        return () => { if (chat.recent === recent) chat.recent = undefined; };
      },
      botDirectory: () => chat.bots.inUse,
      bot: (name) => chat.bots.get(name),
    };
    ctx.provide('channels', service);
    // /whoami is auth's, and auth does not use this plugin (it is a dependency of it): tell it where users are.
    ctx.attach('auth', (auth) => auth.tellWhereabouts((user, session) => ({ channels: service.channelsOf(user), target: service.targetOf(session) ?? null })));
  },
});
