// Module resolve hook (registered by bin/whiskr.js): a plugin imported for a reload carries
// `?whiskr-gen=N&whiskr-root=<its folder>`; the same query is passed on to every file it imports from
// inside its own folder, so edited helper files are read again too. Files outside (the core,
// node_modules) are left alone and stay one shared copy.
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const parent = context.parentURL;
  if (!parent || !parent.includes('whiskr-gen=') || !result.url.startsWith('file:') || result.url.includes('?')) return result;
  const query = new URL(parent).searchParams;
  const root = query.get('whiskr-root');
  if (!root) return result;
  const path = decodeURIComponent(new URL(result.url).pathname);
  if (!path.startsWith(root.endsWith('/') ? root : root + '/') || path.includes('/node_modules/')) return result;
  return { ...result, url: `${result.url}?${query.toString()}` };
}
