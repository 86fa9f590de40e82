/** Round trip of one /ping in milliseconds (the client must be in json format). */
export async function pingMs(c: { request(line: string, type: string): Promise<unknown> }, token: string): Promise<number> {
  const t = performance.now();
  await c.request(`/ping ${token}`, 'pong');
  return performance.now() - t;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
