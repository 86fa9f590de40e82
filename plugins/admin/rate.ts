/** Counts events in one-second buckets over the last minute (for /stats), in constant memory. */
export class RateCounter {
  private readonly counts = new Float64Array(60);
  private readonly seconds = new Float64Array(60).fill(-1);
  total = 0;

  add(now: number): void {
    const sec = Math.floor(now / 1000);
    const i = sec % 60;
    if (this.seconds[i] !== sec) { this.seconds[i] = sec; this.counts[i] = 0; }
    this.counts[i]! += 1;
    this.total++;
  }

  /** Events in the last 60 seconds up to `now`. */
  lastMinute(now: number): number {
    const sec = Math.floor(now / 1000);
    let n = 0;
    for (let i = 0; i < 60; i++) if (this.seconds[i]! > sec - 60 && this.seconds[i]! <= sec) n += this.counts[i]!;
    return n;
  }
}
