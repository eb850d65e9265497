import { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
import { largestRemainder } from "./apportion";
import { hashString } from "./hash";

/**
 * Options of {@link mixingRates}, {@link planMix} and {@link mixTasks}.
 *
 * @example
 * ```ts
 * import type { MixOptions } from "@tunekit/instruct";
 * const flan: MixOptions = { cap: 3000, temperature: 1, seed: 0 };
 * const flatter: MixOptions = { cap: 3000, temperature: 2, mode: "sample", total: 20000, seed: 1 };
 * ```
 */
export interface MixOptions {
  /**
   * The examples-proportional cap K: a task counts as `min(size, K)` examples. Default
   * 3,000, the mixing-rate maximum FLAN used; `Infinity` for no cap.
   */
  cap?: number;
  /** Temperature T > 0: rates ∝ min(size, K)^(1/T). Default 1 (plain capped proportional). */
  temperature?: number;
  /**
   * `"exact"` (default): each task gets exactly its share of `total`, rounded by largest
   * remainder. `"sample"`: `total` independent seeded draws of a task by its rate.
   */
  mode?: "exact" | "sample";
  /** Number of examples in the mix. Default Σ min(size, cap). */
  total?: number;
  /** Seed of the generator ({@link createRng}). Default 0. */
  seed?: number;
}

/**
 * One task's line in a {@link MixReport}.
 *
 * @example
 * ```ts
 * import type { MixTaskReport } from "@tunekit/instruct";
 * const line: MixTaskReport = {
 *   task: "dialogsum", available: 500, capped: 500, rate: 0.5, target: 500,
 *   count: 500, share: 0.5, epochs: 1,
 * };
 * ```
 */
export interface MixTaskReport {
  /** The task name. */
  task: string;
  /** Examples the task has. */
  available: number;
  /** `min(available, cap)`. */
  capped: number;
  /** The target mixing rate (the task's probability per example; rates sum to 1). */
  rate: number;
  /** `rate × total`, the expected number of examples. */
  target: number;
  /** Examples the task got in this mix. */
  count: number;
  /** `count / total`, the realised share. */
  share: number;
  /** `count / available`: above 1 means examples repeat. */
  epochs: number;
}

/**
 * The realised mix: one line per task plus the settings.
 *
 * @example
 * ```ts
 * import type { MixReport } from "@tunekit/instruct";
 * const report: MixReport = { mode: "exact", cap: 3000, temperature: 1, seed: 0, total: 0, tasks: [] };
 * ```
 */
export interface MixReport {
  /** `exact` or `sample`. */
  mode: "exact" | "sample";
  /** The cap K used (`null` in JSON when there is none, i.e. `Infinity`). */
  cap: number;
  /** The temperature T. */
  temperature: number;
  /** The seed. */
  seed: number;
  /** Examples in the mix. */
  total: number;
  /** Per task, in input order. */
  tasks: MixTaskReport[];
}

/**
 * A mix decided from task sizes alone: the order of the output as (task, example
 * index) pairs, plus the report. Handy for streaming: count each file, plan, then read
 * each file again keeping only what the plan picks.
 *
 * @example
 * ```ts
 * import { planMix } from "@tunekit/instruct";
 * const plan = planMix([{ name: "a", size: 10 }, { name: "b", size: 5000 }], { cap: 3000 });
 * plan.report.total; // 3010
 * ```
 */
export interface MixPlan {
  /** Task (index into the input list) of each output example, in output order. */
  task: Uint32Array;
  /** Example index within its task, in output order. */
  example: Uint32Array;
  /** See {@link MixReport}. */
  report: MixReport;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new TunekitError("invalid_mix", message);
}

/**
 * Examples-proportional mixing rates with a cap and a temperature (Raffel et al. 2020,
 * "Exploring the limits of transfer learning…", §3.5.2; FLAN, Wei et al. 2022,
 * "Finetuned language models are zero-shot learners", training details, used K = 3,000):
 *
 *   rₘ = min(eₘ, K)^(1/T) / Σₙ min(eₙ, K)^(1/T)
 *
 * where eₘ is task m's number of examples, K the cap and T the temperature. T = 1 is
 * plain capped proportional mixing; larger T moves towards equal mixing; T → 0 puts all
 * weight on the largest task(s).
 *
 * @param sizes - the number of examples of each task.
 * @param options - `cap` (default 3,000) and `temperature` (default 1).
 * @returns the rates, summing to 1 (all 0 when every task is empty).
 * @throws {@link TunekitError} `invalid_mix` for a negative size, a cap below 1 or T ≤ 0.
 * @example
 * ```ts
 * import { mixingRates } from "@tunekit/instruct";
 * mixingRates([100, 1000, 100000], { cap: 3000 }); // [0.0244, 0.2439, 0.7317] (100, 1000, 3000 of 4100)
 * mixingRates([100, 1000, 100000], { cap: 3000, temperature: 2 }); // flatter
 * ```
 */
export function mixingRates(
  sizes: readonly number[],
  options: Pick<MixOptions, "cap" | "temperature"> = {},
): number[] {
  const { cap = 3000, temperature = 1 } = options;
  check(
    cap === Number.POSITIVE_INFINITY || (Number.isSafeInteger(cap) && cap >= 1),
    `cap must be a whole number ≥ 1 or Infinity, got ${cap}`,
  );
  check(
    Number.isFinite(temperature) && temperature > 0,
    `temperature must be > 0, got ${temperature}`,
  );
  for (const size of sizes) {
    check(
      Number.isSafeInteger(size) && size >= 0,
      `task sizes must be whole numbers ≥ 0, got ${size}`,
    );
  }
  const capped = sizes.map((size) => Math.min(size, cap));
  const largest = Math.max(0, ...capped);
  if (largest === 0) return sizes.map(() => 0);
  // Scale by the largest before the power so that 1/T ≫ 1 cannot overflow.
  const powered = capped.map((c) => (c === 0 ? 0 : (c / largest) ** (1 / temperature)));
  const sum = powered.reduce((a, b) => a + b, 0);
  return powered.map((p) => p / sum);
}

function taskRng(seed: number, name: string): Rng {
  // Each task draws from its own stream, so adding or removing another task does not
  // change which examples this one contributes (only how many).
  const key = `${seed}\u0000${name}`;
  return createRng((hashString(key, 0x6d6978) & 0x1fffff) * 4294967296 + hashString(key, 0x746b));
}

/** Picks `count` indices from 0…size−1: whole shuffled passes, then part of one more. */
function pickExamples(rng: Rng, size: number, count: number): number[] {
  const picked: number[] = [];
  const indices = Array.from({ length: size }, (_, i) => i);
  while (picked.length < count) {
    rng.shuffle(indices);
    const take = Math.min(size, count - picked.length);
    for (let i = 0; i < take; i++) picked.push(indices[i]);
  }
  return picked;
}

/**
 * Plans a multitask mix from the tasks' sizes (see {@link mixingRates} for the rates).
 *
 * - **exact** (default): task m gets `countₘ` examples, the largest-remainder rounding
 *   of `total · rₘ`, so the counts are deterministic and sum to `total`. Within a task
 *   the examples are a seeded sample without replacement; a task asked for more than it
 *   has gives whole shuffled passes, then a sample of one more pass.
 * - **sample**: `total` seeded draws; each picks a task with probability rₘ, then the
 *   next example of that task's seeded shuffled order (reshuffled after each pass), as a
 *   streaming mixture would.
 *
 * With the default total Σ min(eₘ, K) and T ≥ 1 no task gets more than K examples in
 * exact mode; with T = 1 each gets exactly min(eₘ, K) distinct examples, and with T > 1
 * small tasks are upsampled (their examples repeat, `epochs` > 1) but stay within K. The output order is a seeded
 * shuffle of the mix (exact) or the draw order (sample).
 *
 * @param tasks - name and number of examples of each task (names must differ).
 * @param options - see {@link MixOptions}.
 * @returns the {@link MixPlan}.
 * @throws {@link TunekitError} `invalid_mix` for bad options, repeated names, or a total
 *   that needs examples from tasks that have none.
 * @example
 * ```ts
 * import { planMix } from "@tunekit/instruct";
 * const plan = planMix(
 *   [{ name: "nli", size: 400000 }, { name: "qa", size: 1200 }, { name: "summ", size: 9000 }],
 *   { cap: 3000, seed: 1 },
 * );
 * plan.report.tasks.map((t) => t.count); // [3000, 1200, 3000]
 * ```
 */
export function planMix(
  tasks: readonly { name: string; size: number }[],
  options: MixOptions = {},
): MixPlan {
  const { cap = 3000, temperature = 1, mode = "exact", seed = 0 } = options;
  check(tasks.length > 0, "give at least one task");
  check(new Set(tasks.map((t) => t.name)).size === tasks.length, "task names must differ");
  check(Number.isSafeInteger(seed), `seed must be a whole number, got ${seed}`);
  check(mode === "exact" || mode === "sample", `mode must be exact or sample, got ${mode}`);
  const sizes = tasks.map((t) => t.size);
  const rates = mixingRates(sizes, { cap, temperature });
  const capped = sizes.map((s) => Math.min(s, cap));
  const total = options.total ?? capped.reduce((a, b) => a + b, 0);
  check(
    Number.isSafeInteger(total) && total >= 0,
    `total must be a whole number ≥ 0, got ${total}`,
  );
  check(total === 0 || rates.some((r) => r > 0), "every task is empty; nothing to mix");

  const rng = createRng(seed);
  const counts = new Array<number>(tasks.length).fill(0);
  let task: Uint32Array;
  let example: Uint32Array;
  if (mode === "exact") {
    const wanted = total === 0 ? counts : largestRemainder(total, rates);
    const picks = tasks.map((t, m) => pickExamples(taskRng(seed, t.name), t.size, wanted[m]));
    const order: number[] = [];
    picks.forEach((list, m) => {
      counts[m] = list.length;
      for (let j = 0; j < list.length; j++) order.push(m);
    });
    rng.shuffle(order);
    task = Uint32Array.from(order);
    example = new Uint32Array(order.length);
    const next = new Array<number>(tasks.length).fill(0);
    for (let i = 0; i < order.length; i++) example[i] = picks[order[i]][next[order[i]]++];
  } else {
    const cumulative: number[] = [];
    let running = 0;
    let lastPositive = 0;
    rates.forEach((r, m) => {
      running += r;
      cumulative[m] = running;
      if (r > 0) lastPositive = m;
    });
    const streams = tasks.map((t) => ({
      rng: taskRng(seed, t.name),
      order: [] as number[],
      at: 0,
    }));
    task = new Uint32Array(total);
    example = new Uint32Array(total);
    for (let i = 0; i < total; i++) {
      const u = rng.float();
      let m = 0;
      while (m < lastPositive && (u >= cumulative[m] || rates[m] === 0)) m++;
      const stream = streams[m];
      if (stream.at === stream.order.length) {
        stream.order = stream.rng.shuffle(Array.from({ length: sizes[m] }, (_, j) => j));
        stream.at = 0;
      }
      task[i] = m;
      example[i] = stream.order[stream.at++];
      counts[m]++;
    }
  }
  const report: MixReport = {
    mode,
    cap,
    temperature,
    seed,
    total,
    tasks: tasks.map((t, m) => ({
      task: t.name,
      available: t.size,
      capped: capped[m],
      rate: rates[m],
      target: rates[m] * total,
      count: counts[m],
      share: total === 0 ? 0 : counts[m] / total,
      epochs: t.size === 0 ? 0 : counts[m] / t.size,
    })),
  };
  return { task, example, report };
}

/**
 * One example of a mix, with the task it came from.
 *
 * @example
 * ```ts
 * import type { MixedExample } from "@tunekit/instruct";
 * const item: MixedExample<{ text: string }> = { task: "qa", index: 3, record: { text: "…" } };
 * ```
 */
export interface MixedExample<T> {
  /** The task name. */
  task: string;
  /** The example's index within its task. */
  index: number;
  /** The example. */
  record: T;
}

/**
 * Mixes in-memory tasks (see {@link planMix} for the method and guarantees).
 *
 * @param tasks - task name → its examples (object key order is the task order).
 * @param options - see {@link MixOptions}.
 * @returns the mixed examples in output order and the {@link MixReport}.
 * @throws {@link TunekitError} `invalid_mix` for bad options.
 * @example
 * ```ts
 * import { mixTasks } from "@tunekit/instruct";
 * const { examples, report } = mixTasks(
 *   { qa: [{ q: "2+2?" }, { q: "3+3?" }], chat: [{ q: "hi" }] },
 *   { cap: 3000, seed: 7 },
 * );
 * console.log(examples.length, report.tasks[0].count); // 3 2
 * ```
 */
export function mixTasks<T>(
  tasks: Readonly<Record<string, readonly T[]>>,
  options: MixOptions = {},
): { examples: MixedExample<T>[]; report: MixReport } {
  const names = Object.keys(tasks);
  const plan = planMix(
    names.map((name) => ({ name, size: tasks[name].length })),
    options,
  );
  const examples = Array.from(plan.task, (m, i) => {
    const index = plan.example[i];
    return { task: names[m], index, record: tasks[names[m]][index] };
  });
  return { examples, report: plan.report };
}
