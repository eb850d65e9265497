/**
 * Runs `run` on the items of `items` with at most `window` runs under way at a time, and
 * yields the results in the order of the items (not the order the runs finish in). A
 * new item is read only when a slot is free, so at most `window` items and results are
 * held at once, however fast the source is. When a run fails, the error is thrown where
 * its result would have been yielded; runs already started are left to settle.
 *
 * @param items - the source, read lazily.
 * @param run - the asynchronous work on one item.
 * @param window - the most runs under way at once (at least 1).
 * @returns the results, in item order.
 */
export async function* mapOrdered<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  run: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<R> {
  const size = Math.max(1, Math.floor(window));
  const pending: Promise<R>[] = [];
  for await (const item of items) {
    const result = run(item);
    // Observed now so that a failure behind an earlier one is never reported as unhandled.
    result.catch(() => {});
    pending.push(result);
    if (pending.length >= size) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
