import { definePlugin } from '../../core/index.js';
import { channelsOptions } from './config.js';
import { migrations } from './migrations.js';
import { ChannelStore } from './store.js';
import { ChannelState } from './state.js';
import { Messenger } from './messaging.js';
import { Presence } from './presence.js';
import { Seats } from './seats.js';
import { commands, type ChannelsCommands } from './commands/index.js';
import { isValidChannelName, type ChannelsService } from './api.js';
import { resolveName } from './resolve-name.js';
import { renderers } from './render.js';
import { renderHistory } from '../history/api.js';
import { ChannelCluster } from './cluster.js';

export default definePlugin({
  name: 'channels',
  version: '1.0.0',
  description: 'public and private channels, direct messages (kept for offline users), presence, bot seats',
  dependencies: ['auth'],
  options: channelsOptions,
  migrations,
  async setup(ctx) {
    const config = ctx.config;
    const state = new ChannelState(ctx, new ChannelStore(ctx.db));
    const messenger = new Messenger(state);
    const presence = new Presence(state, messenger);
    const seats = new Seats(state);
    const previous = ctx.service('channels');
    // A reload goes on with the bots of the previous version; the bots plugin hands its runner to this one when it is live.
    state.bots.inherit(previous?.botDirectory());
    // A start (not a reload): kept messages this node was handing over when it stopped wait for the next login.
    if (!previous) await state.store.releaseNode(ctx.cluster.node);
    // State comes from the database and the sessions already logged in (a reload keeps people in place).
    await state.load();
    const cluster = ctx.cluster.enabled ? new ChannelCluster(state, seats) : undefined;
    if (cluster) {
      state.cluster = cluster;
      cluster.deliverKept = (user) => {
        messenger.deliverOffline(user, ctx.sessions.of(user)).catch((err) => ctx.log.warn(`kept messages for ${user} not delivered yet: ${(err as Error).message}`));
      };
      cluster.awayHere = (user, text) => presence.awayHere(user, text);
      cluster.start();
    }
    await seats.seatAll();
    // Sessions that logged in while this version was being set up (a reload) are put in place once it runs.
    ctx.after(0, () => state.resyncSessions());
    if (config.reclaimEmptyAfterSeconds > 0) ctx.every(Math.min(60_000, config.reclaimEmptyAfterSeconds * 1000), () => state.reclaim());

    const deps: ChannelsCommands = { state, messenger, presence, seats };
    for (const make of commands) ctx.command(make(deps));
    ctx.render('join', renderers.join);
    ctx.render('part', renderers.part);
    ctx.render('presence', renderers.presence);
    ctx.render('topic', renderers.topic);
    ctx.render('invite', renderers.invite);
    ctx.render('channels', renderers.channels);
    ctx.render('who', renderers.who);
    ctx.render('whois', renderers.whois);
    ctx.render('crowd', renderers.crowd);
    // The replay after a join is a `history` page, sent with or without the history plugin.
    ctx.render('history', renderHistory);
    ctx.text((cmd, text) => messenger.say(cmd, cmd.session.data.target, text, 'message'));
    // A session in or out of its channels: a cluster node subscribes to what it now has members of, and no more.
    const interest = (user: string) => { if (cluster) for (const ch of state.joined(user)) cluster.changed(ch); };
    ctx.hook('user.login', async (session, info) => { await presence.login(session, info.first); interest(session.user!.name); });
    ctx.hook('user.logout', async (session, info) => { await presence.logout(session, info); interest(info.user.name); });
    state.bots.watch((_change, bot) => seats.changed(bot));
    ctx.onDispose(async () => {
      state.notices.flushAll();
      state.bots.close();
      await seats.settled();
    });

    const service: ChannelsService = {
      limits: () => ({ topicLength: ctx.config.maxTopicLength, channelsPerUser: ctx.config.maxChannelsPerUser }),
      channelsOf: (user) => state.joined(user).map((ch) => ch.name),
      canRead: async (user, target) => {
        if (!target.startsWith('#')) return true;
        return state.find(target)?.visibleTo(user) ?? false;
      },
      channelName: (name) => state.find(name)?.name,
      ensureChannel: async (name, owner) => {
        if (!isValidChannelName(name)) throw new Error(`${JSON.stringify(name)} is not a channel name`);
        return (await state.ensure(name, owner ?? null)).name;
      },
      post: (from, target, text, opts) => messenger.post(from, target, text, opts),
      presence: (user) => presence.of(user),
      present: (name) => state.find(name)?.presentNames(),
      targetOf: (session) => session.data.target,
      isPrivate: (name) => state.find(name)?.isPrivate,
      lifeStart: (name) => state.lifeStart(name),
      useBots: (directory) => state.bots.use(directory),
      muteWith: (mutes) => {
        state.mutes = mutes;
        return () => { if (state.mutes === mutes) state.mutes = undefined; };
      },
      replayFrom: (recent) => {
        state.recent = recent;
        return () => { if (state.recent === recent) state.recent = undefined; };
      },
      botDirectory: () => state.bots.inUse,
      bot: (name) => state.bots.get(name),
      resolveName: (name, opts) => resolveName(name, state.nameSources, opts),
    };
    ctx.provide('channels', service);
    // /whoami is auth's, and auth does not use this plugin (it is a dependency of it): tell it where users are.
    ctx.attach('auth', (auth) => auth.tellWhereabouts((user, session) => ({ channels: service.channelsOf(user), target: service.targetOf(session) ?? null })));
  },
});
