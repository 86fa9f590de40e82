import { nameKey, type ChatMessage, type Knex } from '../../core/index.js';

export interface ChannelRecord {
  id: number;
  name: string;
  isPrivate: boolean;
  owner: string | null;
  topic: string;
  topicBy: string | null;
  topicAt: number | null;
  createdAt: number;
}

export interface MemberRecord {
  channelId: number;
  name: string;
  bot: boolean;
  joined: boolean;
}

/** Everything the channels plugin keeps in the database, behind one narrow interface. */
export class ChannelStore {
  constructor(private readonly db: Knex) {}

  async loadChannels(): Promise<ChannelRecord[]> {
    const rows = await this.db('channels_channels').select('*').orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id), name: String(r.name), isPrivate: Boolean(r.is_private), owner: r.owner ?? null,
      topic: String(r.topic ?? ''), topicBy: r.topic_by ?? null, topicAt: r.topic_at === null || r.topic_at === undefined ? null : Number(r.topic_at),
      createdAt: Number(r.created_at),
    }));
  }

  /** One channel and its members, as the database has them now (a cluster: another node changed it). */
  async loadOne(key: string): Promise<{ channel: ChannelRecord; members: MemberRecord[] } | undefined> {
    const r = await this.db('channels_channels').where({ name_key: key }).first('*');
    if (!r) return undefined;
    const channel: ChannelRecord = {
      id: Number(r.id), name: String(r.name), isPrivate: Boolean(r.is_private), owner: r.owner ?? null,
      topic: String(r.topic ?? ''), topicBy: r.topic_by ?? null, topicAt: r.topic_at === null || r.topic_at === undefined ? null : Number(r.topic_at),
      createdAt: Number(r.created_at),
    };
    const rows = await this.db('channels_members').where({ channel_id: channel.id }).select('*').orderBy('added_at');
    return { channel, members: rows.map((m) => ({ channelId: Number(m.channel_id), name: String(m.name), bot: Boolean(m.is_bot), joined: Boolean(m.joined) })) };
  }

  async loadMembers(): Promise<MemberRecord[]> {
    const rows = await this.db('channels_members').select('*').orderBy('added_at');
    return rows.map((r) => ({ channelId: Number(r.channel_id), name: String(r.name), bot: Boolean(r.is_bot), joined: Boolean(r.joined) }));
  }

  async createChannel(c: Omit<ChannelRecord, 'id'>): Promise<number> {
    const [id] = await this.db('channels_channels').insert({
      name: c.name, name_key: nameKey(c.name), is_private: c.isPrivate, owner: c.owner,
      topic: c.topic, topic_by: c.topicBy, topic_at: c.topicAt, created_at: c.createdAt,
    });
    if (typeof id === 'number') return id;
    // Drivers that do not return the id: look it up by name.
    const row = await this.db('channels_channels').where({ name_key: nameKey(c.name) }).first('id');
    return Number(row.id);
  }

  /** Names deleted before, with the id that ends their former life (see migration 002). */
  async loadGone(): Promise<Map<string, string>> {
    const rows = await this.db('channels_gone').select('name_key', 'before_id');
    return new Map(rows.map((r) => [String(r.name_key), String(r.before_id)]));
  }

  /** Delete a channel and its members, and record where the name's next life begins. */
  async deleteChannel(id: number, key: string, beforeId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx('channels_members').where({ channel_id: id }).delete();
      await tx('channels_channels').where({ id }).delete();
      await tx('channels_gone').insert({ name_key: key, before_id: beforeId }).onConflict('name_key').merge(['before_id']);
    });
  }

  async setTopic(id: number, topic: string, by: string, at: number): Promise<void> {
    await this.db('channels_channels').where({ id }).update({ topic, topic_by: by, topic_at: at });
  }

  /** Add a member, or update whether it is joined. */
  async putMember(channelId: number, name: string, bot: boolean, joined: boolean, at: number): Promise<void> {
    await this.db('channels_members')
      .insert({ channel_id: channelId, member_key: nameKey(name), name, is_bot: bot, joined, added_at: at })
      .onConflict(['channel_id', 'is_bot', 'member_key']).merge(['joined', 'name']);
  }

  async removeMember(channelId: number, name: string, bot: boolean): Promise<void> {
    await this.db('channels_members').where({ channel_id: channelId, member_key: nameKey(name), is_bot: bot }).delete();
  }

  /** Direct messages waiting for a user (from one sender, when `from` is given). */
  async offlineCount(to: string, from?: string): Promise<number> {
    const where: Record<string, string> = { to_key: nameKey(to) };
    if (from !== undefined) where.from_key = nameKey(from);
    const [row] = await this.db('channels_offline').where(where).count({ n: '*' });
    return Number(row?.n ?? 0);
  }

  async storeOffline(to: string, message: ChatMessage, at: number): Promise<void> {
    await this.db('channels_offline').insert({
      to_key: nameKey(to), from_key: nameKey(message.from), body: JSON.stringify(message), created_at: at,
    });
  }

  /**
   * Claim the messages waiting for a user for one delivery (`claim.by`), in one statement: two deliveries
   * at once (the user logging in on two nodes) never both get a row. A claim older than `staleBefore`, or by
   * a node not in `liveNodes` (killed mid-way), is void and taken over. Returns how many rows were claimed.
   */
  async claimOffline(to: string, claim: { by: string; node: string; at: number }, staleBefore: number, liveNodes: string[]): Promise<number> {
    return this.db('channels_offline').where({ to_key: nameKey(to) })
      .andWhere((q) => { q.whereNull('claimed_by').orWhere('claimed_at', '<', staleBefore).orWhereNotIn('claimed_node', liveNodes); })
      .update({ claimed_by: claim.by, claimed_node: claim.node, claimed_at: claim.at });
  }

  /** A delivery is still at work: its claim is not stale. */
  async touchClaim(by: string, at: number): Promise<void> {
    await this.db('channels_offline').where({ claimed_by: by }).update({ claimed_at: at });
  }

  /** A delivery ended (its sessions gone): what it did not hand over waits for the next one. */
  async releaseClaim(by: string): Promise<void> {
    await this.db('channels_offline').where({ claimed_by: by }).update({ claimed_by: null, claimed_node: null, claimed_at: null });
  }

  /** A node starts: the claims of its former life (stopped mid-delivery) are void. */
  async releaseNode(node: string): Promise<void> {
    await this.db('channels_offline').where({ claimed_node: node }).update({ claimed_by: null, claimed_node: null, claimed_at: null });
  }

  /** The oldest messages a delivery claimed after row `after` (0: from the first), at most `limit`. They stay until dropped. */
  async offlinePage(claimedBy: string, after: number, limit: number): Promise<{ row: number; message: ChatMessage }[]> {
    const rows = await this.db('channels_offline').where({ claimed_by: claimedBy }).andWhere('id', '>', after)
      .orderBy('id').limit(limit).select('id', 'body');
    return rows.map((r) => ({ row: Number(r.id), message: JSON.parse(String(r.body)) as ChatMessage }));
  }

  /** Forget kept messages once they are delivered. */
  async dropOffline(rows: number[]): Promise<void> {
    if (rows.length > 0) await this.db('channels_offline').whereIn('id', rows).delete();
  }
}
