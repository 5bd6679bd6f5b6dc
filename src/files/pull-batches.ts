/**
 * Turns a producer that pushes items and awaits `pace()` between chunks of work (the capture and
 * flow-log readers) into batches pulled by a consumer: each `pace()` hands over what was pushed since
 * the last one and waits until the consumer asks for more, so the producer never runs ahead by more
 * than one batch.
 */
export async function* pullBatches<T>(produce: (push: (item: T) => void, pace: () => Promise<void> | undefined) => Promise<void>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let ready: T[] | undefined;
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const notify = (): void => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const pace = (): Promise<void> | undefined => {
    if (batch.length === 0 || stopped) return undefined;
    ready = batch;
    batch = [];
    notify();
    return new Promise<void>((resolve) => (wakeProducer = resolve));
  };
  const running = produce((item) => batch.push(item), pace).then(
    () => { finished = true; notify(); },
    (error: unknown) => { failure = { error }; finished = true; notify(); },
  );
  try {
    while (true) {
      if (ready) {
        const out = ready;
        ready = undefined;
        yield out;
        const resume = wakeProducer;
        wakeProducer = undefined;
        resume?.();
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
    if (failure) throw failure.error;
    if (batch.length > 0) yield batch;
  } finally {
    // A consumer that stops early lets the producer run to its end without waiting.
    stopped = true;
    wakeProducer?.();
    await running;
  }
}
