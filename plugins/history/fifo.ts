/** A first-in first-out list with O(1) push and amortised O(1) removal from the front. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number { return this.items.length - this.head; }

  push(item: T): void { this.items.push(item); }

  /** The item at position i from the front. */
  at(i: number): T | undefined { return this.items[this.head + i]; }

  /** Up to n items from the front, without removing them. */
  peek(n: number): T[] { return this.items.slice(this.head, this.head + n); }

  /** The items from position i (from the front) to the back, without removing them. */
  from(i: number): T[] { return this.items.slice(this.head + i); }

  /** Remove n items from the front. */
  drop(n: number): void {
    this.head += Math.min(n, this.length);
    if (this.head === this.items.length) { this.items = []; this.head = 0; }
    else if (this.head >= 1024 && this.head * 2 >= this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
  }

  /** Every item, front first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }

  /** Items from the back towards the front. */
  *reversed(): IterableIterator<T> {
    for (let i = this.items.length - 1; i >= this.head; i--) yield this.items[i]!;
  }
}
