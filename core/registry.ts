/**
 * A name → value table where each entry has an owner and can be removed by the function its
 * registration returned. A name registered again by its own owner (a plugin being reloaded) shadows the
 * older entry until that one is removed; by anyone else it is refused.
 */
interface Entry<T> { owner: string; value: T }

export class Registry<T> {
  private readonly table = new Map<string, Entry<T>[]>();
  constructor(private readonly what: string) {}

  add(name: string, owner: string, value: T): () => void {
    const key = name.toLowerCase();
    const stack = this.table.get(key) ?? [];
    const other = stack.find((e) => e.owner !== owner);
    if (other) throw new Error(`${this.what} ${name} is already registered by ${other.owner}`);
    const entry = { owner, value };
    stack.push(entry);
    this.table.set(key, stack);
    return () => {
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
      if (stack.length === 0 && this.table.get(key) === stack) this.table.delete(key);
    };
  }

  get(name: string): T | undefined {
    const stack = this.table.get(name.toLowerCase());
    return stack?.[stack.length - 1]?.value;
  }

  /** The current value of every name. */
  *values(): IterableIterator<T> {
    for (const stack of this.table.values()) {
      const top = stack[stack.length - 1];
      if (top) yield top.value;
    }
  }
}
