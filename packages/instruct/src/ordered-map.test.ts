import { describe, expect, it } from "vitest";
import { createRng } from "../../../internal/shared/src/index";
import { mapOrdered } from "./ordered-map";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mapOrdered", () => {
  it("yields results in item order when runs finish out of order, with at most `window` under way", async () => {
    const rng = createRng(11);
    for (const window of [1, 2, 3, 8]) {
      let running = 0;
      let most = 0;
      let pulled = 0;
      let consumed = 0;
      let mostAhead = 0;
      async function* source() {
        for (let i = 0; i < 40; i++) {
          pulled++;
          mostAhead = Math.max(mostAhead, pulled - consumed);
          yield i;
        }
      }
      const results: number[] = [];
      const run = async (i: number) => {
        running++;
        most = Math.max(most, running);
        await sleep(rng.int(4));
        running--;
        return i * 10;
      };
      for await (const r of mapOrdered(source(), run, window)) {
        consumed++;
        results.push(r);
      }
      expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 10));
      expect(most).toBeLessThanOrEqual(window);
      // Items are pulled only when a slot is free: never more than `window` ahead of the consumer.
      expect(mostAhead).toBeLessThanOrEqual(window);
      if (window > 1) expect(most).toBeGreaterThan(1);
    }
  });

  it("throws a run's error where its result would come, after the earlier results", async () => {
    const seen: number[] = [];
    const run = async (i: number) => {
      await sleep(i === 2 ? 5 : 0);
      if (i === 2) throw new Error("batch 2 failed");
      return i;
    };
    await expect(
      (async () => {
        for await (const r of mapOrdered([0, 1, 2, 3, 4], run, 3)) seen.push(r);
      })(),
    ).rejects.toThrow("batch 2 failed");
    expect(seen).toEqual([0, 1]);
  });
});
