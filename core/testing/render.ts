import { Encoded, Renderer, type TextRenderer } from '../render.js';
import type { EventType, ServerEvent } from '../events.js';
import type { Session } from '../session.js';

/** A renderer with a plugin's text renderers registered as ctx.render registers them: for its table tests. */
export function rendererWith(table: { [type: string]: (e: never) => string | string[] }): Renderer {
  const renderer = new Renderer();
  for (const [type, fn] of Object.entries(table)) renderer.add(type as EventType, fn as unknown as TextRenderer);
  return renderer;
}

/** What one session is sent for an event, encoded as delivery encodes it (a plugin format's table tests). */
export function encodedFor(renderer: Renderer, e: ServerEvent, session: Session): string {
  return String(new Encoded(e, renderer).for(session));
}
