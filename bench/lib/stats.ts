/** Percentile by nearest rank of an already sorted array (p in 0..100). */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Quantiles { n: number; p50: number; p95: number; p99: number; max: number }

/** A growable list of samples (ms) without per-sample allocation. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;
  /** Never keep more than this many samples (a bound on memory): later ones overwrite at random. */
  constructor(private readonly cap = 20_000_000) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      if (this.length >= this.cap) { this.data[Math.floor(Math.random() * this.length)] = v; return; }
      const next = new Float64Array(Math.min(this.cap, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  quantiles(): Quantiles {
    const s = this.data.slice(0, this.length).sort();
    return { n: this.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: this.length ? s[this.length - 1]! : NaN };
  }
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

/** 8400000 -> "8.40 M", 41000 -> "41.0 k" */
export function human(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (Math.abs(v) >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(v >= 100 ? 0 : 2);
}
