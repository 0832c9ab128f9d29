/**
 * Runs `work` over `items` with `lanes` of them in flight, results in the items' order. For work that mostly waits
 * (WebCrypto runs off the calling thread): one await after another leaves that thread idle between each.
 * Once `stop(result)` is true no further item starts: the items never started have no result (a sparse array).
 */
export async function inLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T, index: number) => Promise<R>,
  stop: (result: R) => boolean = () => false,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const lane = async () => {
    for (let i = next++; i < items.length && !stopped; i = next++) {
      results[i] = await work(items[i]!, i);
      if (stop(results[i]!)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}
