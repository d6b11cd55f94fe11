/** A binary min-heap of timed events in parallel typed arrays (no object per event). */
export class EventHeap {
  private time: Float64Array;
  private kind: Uint8Array;
  private a: Int32Array;
  private b: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap); t.set(this.time); this.time = t;
    const k = new Uint8Array(cap); k.set(this.kind); this.kind = k;
    const a = new Int32Array(cap); a.set(this.a); this.a = a;
    const b = new Int32Array(cap); b.set(this.b); this.b = b;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.kind[to] = this.kind[from];
    this.a[to] = this.a[from];
    this.b[to] = this.b[from];
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.time[parent] <= time) break;
      this.move(parent, i);
      i = parent;
    }
    this.time[i] = time;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Removes the earliest event into `out` ([time, kind, a, b]); false when empty. */
  pop(out: Float64Array): boolean {
    if (this.size === 0) return false;
    out[0] = this.time[0];
    out[1] = this.kind[0];
    out[2] = this.a[0];
    out[3] = this.b[0];
    const last = --this.size;
    if (last === 0) return true;
    const t = this.time[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.time[child + 1] < this.time[child]) child++;
      if (this.time[child] >= t) break;
      this.move(child, i);
      i = child;
    }
    this.move(last, i);
    return true;
  }
}
