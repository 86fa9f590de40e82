import { Renderer, type TextRenderer } from '../render.js';
import type { EventType } from '../events.js';

/** A renderer with a plugin's text renderers registered as ctx.render registers them: for its table tests. */
export function rendererWith(table: { [type: string]: (e: never) => string | string[] }): Renderer {
  const renderer = new Renderer();
  for (const [type, fn] of Object.entries(table)) renderer.add(type as EventType, fn as unknown as TextRenderer);
  return renderer;
}
