/** Anything the queue orders: a time in seconds and the sequence number it was scheduled with. */
export interface Scheduled {
  readonly time: number;
  readonly seq: number;
}

/**
 * A binary min-heap of events in (time, sequence) order: the event scheduled first among those at the
 * same time comes out first, so equal-time events keep the order they were written or caused in.
 * `push` and `pop` cost O(log n); nothing is sorted up front.
 */
export class EventQueue<E extends Scheduled> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(event: E): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent] as E)) break;
      heap[i] = heap[parent] as E;
      i = parent;
    }
    heap[i] = event;
  }

  /** The earliest event, removed; undefined when the queue is empty. */
  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as E, heap[left] as E) ? right : left;
      if (!before(heap[child] as E, last)) break;
      heap[i] = heap[child] as E;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** The earliest event, left in the queue. */
  peek(): E | undefined {
    return this.heap[0];
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
