import { Worker } from "node:worker_threads";

/**
 * What {@link runInWorkers} runs: one call of a module's exported function per task, each in
 * a worker thread.
 */
export interface WorkerJob {
  /**
   * The module each worker imports, as an absolute `file:` URL (or a path). It must be
   * plain JavaScript that Node loads by itself — a built package entry such as the one
   * {@link resolveForWorkers} returns, not TypeScript source. ES modules and CommonJS both
   * work.
   */
  module: string | URL;
  /**
   * The exported function to call. It receives one task's arguments and returns, or
   * resolves to, the task's result. Arguments and result cross threads by structured
   * clone: plain data, typed arrays, no functions or class instances.
   */
  exportName: string;
  /** One argument list per task. */
  tasks: readonly (readonly unknown[])[];
  /** How many workers may run at once. Default: one per task. */
  concurrency?: number;
  /** Called in the main thread when a task has finished (for progress bars). */
  onTaskDone?(index: number): void;
}

/** An error thrown inside a worker, with the task it belongs to and the original `code`. */
export class WorkerTaskError extends Error {
  /** The `code` of the error thrown in the worker (e.g. a TunekitError's), if it had one. */
  readonly code: string | undefined;
  /** Which task failed (index into `tasks`). */
  readonly task: number;

  constructor(task: number, message: string, code: string | undefined) {
    super(message);
    this.name = "WorkerTaskError";
    this.task = task;
    this.code = code;
  }
}

// Runs in each worker: import the module, call the function on this worker's task and post
// back the result or the error. Evaluated as a CommonJS script, hence require().
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const loaded = await import(workerData.module);
  const fn = loaded[workerData.exportName] ?? loaded.default?.[workerData.exportName];
  if (typeof fn !== "function") {
    throw new Error(workerData.module + " does not export a function named " + workerData.exportName);
  }
  parentPort.postMessage({ ok: true, result: await fn(...workerData.args) });
})().catch((error) => {
  parentPort.postMessage({
    ok: false,
    message: error && error.message !== undefined ? String(error.message) : String(error),
    code: error && typeof error.code === "string" ? error.code : undefined,
  });
});
`;

type WorkerReply = { ok: true; result: unknown } | { ok: false; message: string; code?: string };

function runTask(module: string, exportName: string, args: readonly unknown[], task: number) {
  return new Promise<unknown>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, exportName, args },
    });
    let settled = false;
    worker.once("message", (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else reject(new WorkerTaskError(task, reply.message, reply.code));
      void worker.terminate();
    });
    worker.once("error", (error) => {
      if (settled) return;
      settled = true;
      reject(new WorkerTaskError(task, error.message, undefined));
    });
    worker.once("exit", (exitCode) => {
      if (settled) return;
      settled = true;
      reject(new WorkerTaskError(task, `worker stopped with exit code ${exitCode}`, undefined));
    });
  });
}

/**
 * Runs `exportName` from `module` on every task in worker threads and returns the results
 * in task order. Each task gets a fresh worker that imports the module, makes the one call,
 * posts the result back and exits, so tasks share nothing; at most `concurrency` run at a
 * time. When a task fails, no new task starts and the first failure is thrown as a
 * {@link WorkerTaskError} (with the worker's error message and `code`) once the running
 * ones have settled.
 *
 * Commands use it to split a large corpus: score contiguous slices (see
 * {@link splitEvenly}) in parallel and concatenate the per-example results, which are the
 * same numbers one thread would give; corpus totals are then computed from them in the
 * main thread.
 *
 * @param job - the module, the function and its per-task arguments; see {@link WorkerJob}.
 * @returns one result per task, in task order.
 * @throws WorkerTaskError when a task throws or its worker dies.
 * @example
 * ```ts
 * const module = resolveForWorkers("@tunekit/metrics");
 * const slices = splitEvenly(predictions.length, 4);
 * const results = await runInWorkers<{ perExample: unknown[] }>({
 *   module,
 *   exportName: "rougeCorpus",
 *   tasks: slices.map(({ start, end }) => [
 *     predictions.slice(start, end),
 *     references.slice(start, end),
 *     { types: ["rouge1", "rougeL"] },
 *   ]),
 * });
 * const perExample = results.flatMap((r) => r.perExample);
 * ```
 */
export async function runInWorkers<R>(job: WorkerJob): Promise<R[]> {
  const module = job.module instanceof URL ? job.module.href : job.module;
  const total = job.tasks.length;
  const concurrency = Math.max(1, Math.min(job.concurrency ?? total, total));
  const results: R[] = new Array(total);
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < total && failure === undefined) {
      const task = next++;
      try {
        results[task] = (await runTask(module, job.exportName, job.tasks[task], task)) as R;
        job.onTaskDone?.(task);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failure !== undefined) throw failure;
  return results;
}

/**
 * Splits `length` items into at most `parts` contiguous slices whose sizes differ by at
 * most one, in order, none empty.
 *
 * @param length - number of items.
 * @param parts - the wanted number of slices (at least 1).
 * @returns `{ start, end }` half-open ranges covering `0 … length` in order.
 * @example
 * ```ts
 * splitEvenly(10, 3); // [{ start: 0, end: 4 }, { start: 4, end: 7 }, { start: 7, end: 10 }]
 * ```
 */
export function splitEvenly(length: number, parts: number): { start: number; end: number }[] {
  const count = Math.max(1, Math.min(parts, length));
  const slices: { start: number; end: number }[] = [];
  let start = 0;
  for (let k = 0; k < count; k++) {
    const end = start + Math.floor(length / count) + (k < length % count ? 1 : 0);
    if (end > start) slices.push({ start, end });
    start = end;
  }
  return slices;
}

/**
 * The URL of a package's built entry point as this module resolves it, for
 * {@link WorkerJob.module}: workers import plain JavaScript, so this is the package's
 * `dist` build even when the caller runs from TypeScript source.
 *
 * @param specifier - a package name such as `"@tunekit/metrics"`.
 * @returns an absolute `file:` URL.
 * @throws Error when the package cannot be resolved from here.
 * @example
 * ```ts
 * resolveForWorkers("@tunekit/metrics"); // "file:///…/node_modules/@tunekit/metrics/dist/index.js"
 * ```
 */
export function resolveForWorkers(specifier: string): string {
  return import.meta.resolve(specifier);
}
