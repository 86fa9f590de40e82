import { nameKey } from './parse.js';
import type { Delivery, LocalDelivery } from './delivery.js';
import type { ClusterNode } from './cluster.js';
import type { ServerEvent } from './events.js';
import type { Session } from './session.js';

/**
 * Delivery for a cluster node: what is for a user reaches their sessions on every node (here directly,
 * elsewhere over NATS, only to the nodes where they are online); sessions are this node's own objects, so
 * `toSessions` stays local (a channel's other nodes are the channels plugin's business: ctx.cluster).
 */
export class ClusterDelivery implements Delivery {
  constructor(private readonly local: LocalDelivery, private readonly node: ClusterNode) {}

  get deliveries(): number { return this.local.deliveries; }

  toSession(session: Session, event: ServerEvent): void { this.local.toSession(session, event); }

  toSessions(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void { this.local.toSessions(sessions, event, except); }

  toSessionsGradually(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void { this.local.toSessionsGradually(sessions, event, except); }

  toUser(name: string, event: ServerEvent, except?: Session): void {
    this.local.toUser(name, event, except);
    this.node.toUser(name, event as unknown as Record<string, unknown>);
  }

  toUsers(names: Iterable<string>, event: ServerEvent, except?: Session): void {
    const unique = new Map<string, string>();
    for (const n of names) unique.set(nameKey(n), n);
    this.local.toUsers(unique.values(), event, except);
    for (const n of unique.values()) this.node.toUser(n, event as unknown as Record<string, unknown>);
  }

  toAll(event: ServerEvent): void {
    this.local.toAll(event);
    this.node.toAll(event as unknown as Record<string, unknown>);
  }
}
