import type { Reply } from './connection.js';
import { is } from './events.js';
import type { ApplyContext, ChatModel } from './model.js';

/** Pages fetched per conversation at most (with 200 a page, 10,000 messages: more than a pane keeps). */
const MAX_PAGES = 50;

/**
 * After logging in again: rejoin the channels the server did not rejoin on its own, then fetch what each
 * channel and direct conversation missed, `/history <target> <n> after=<id>` from the last id held
 * before the drop (`since`), page after page until the server says there is no more. Messages are
 * merged by id, so what also arrived live or in the join replay is not shown twice.
 */
export async function catchUp(
  model: ChatModel,
  request: (line: string, ctx?: ApplyContext) => Promise<Reply | undefined>,
  since: Map<string, string | undefined>,
  pageSize: number,
): Promise<void> {
  await Promise.all(model.channels().filter((c) => !c.joined).map(async (c) => {
    const r = await request(`/join ${c.name}`);
    if (r?.reply?.type === 'error') model.info(`Could not rejoin ${c.name}: ${String(r.reply.text)}`, 'error', c.key);
  }));
  await Promise.all([...since].map(async ([key, after]) => {
    const conv = model.conversations.get(key);
    if (!conv || after === undefined || (conv.kind === 'channel' && !conv.joined)) return;
    let from = after;
    for (let page = 0; page < MAX_PAGES; page++) {
      const h = (await request(`/history ${conv.name} ${pageSize} after=${from}`, { history: 'catchup' }))?.reply;
      if (!h || !is(h, 'history')) return;
      const ids = h.messages.map((m) => m.id).filter((id) => typeof id === 'string').sort();
      if (ids.length === 0) return;
      from = ids[ids.length - 1]!;
      if (h.more === false || (h.more === undefined && ids.length < pageSize)) return;
    }
  }));
}
