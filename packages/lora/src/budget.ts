import { TunekitError } from "@tunekit/tensor";
import type { LoraAdapter } from "./adapter";

/**
 * One adapted module's shape, for {@link loraBudget}.
 *
 * @example
 * ```ts
 * import type { BudgetModule } from "@tunekit/lora";
 * const q: BudgetModule = { name: "q_proj", outFeatures: 4096, inFeatures: 4096, r: 16 };
 * ```
 */
export interface BudgetModule {
  /** The module's name. */
  name: string;
  /** Rows of the frozen weight (a linear layer's out features, an embedding's vocabulary). */
  outFeatures: number;
  /** Columns of the frozen weight (in features, or the embedding width). */
  inFeatures: number;
  /** The LoRA rank. */
  r: number;
  /** DoRA adds one magnitude per output row. Default false. */
  dora?: boolean;
  /** `lora_bias` adds a bias of `outFeatures` to B. Default false. */
  loraBias?: boolean;
}

/**
 * The parameter count of one module, frozen versus trained.
 *
 * @example
 * ```ts
 * import { loraBudget, type ModuleBudget } from "@tunekit/lora";
 * const [m]: ModuleBudget[] = loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }]).modules;
 * m.trainable; // 4608
 * ```
 */
export interface ModuleBudget {
  /** The module's name. */
  name: string;
  /** The frozen weight's shape, `[outFeatures, inFeatures]`. */
  shape: [number, number];
  /** The rank. */
  r: number;
  /** Elements of the frozen weight: out × in. */
  frozen: number;
  /** Elements of A: r × in. */
  loraA: number;
  /** Elements of B: out × r. */
  loraB: number;
  /** Extra trained elements: DoRA magnitudes and B's bias. */
  other: number;
  /** loraA + loraB + other. */
  trainable: number;
  /** How much smaller the trained part is than the frozen weight: 100·(1 − trainable/frozen). */
  reductionPercent: number;
}

/**
 * Storage sizes for {@link loraBudget}.
 *
 * @example
 * ```ts
 * import type { BudgetDType } from "@tunekit/lora";
 * const dtype: BudgetDType = "BF16";
 * ```
 */
export type BudgetDType = "F32" | "F16" | "BF16" | "F64";

/**
 * The parameter budget of an adapter, per module and in total.
 *
 * @example
 * ```ts
 * import { type LoraBudget, loraBudget } from "@tunekit/lora";
 * const budget: LoraBudget = loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }]);
 * Math.round(budget.reductionPercent); // 86
 * ```
 */
export interface LoraBudget {
  /** One entry per module, in the order given. */
  modules: ModuleBudget[];
  /** Sum of the frozen weights the adapter touches. */
  frozen: number;
  /** Sum of trained elements. */
  trainable: number;
  /** 100·(1 − trainable/frozen) over all modules. */
  reductionPercent: number;
  /** The storage type the byte counts assume. */
  dtype: BudgetDType;
  /** Bytes per element at `dtype`. */
  bytesPerElement: number;
  /** frozen × bytesPerElement. */
  frozenBytes: number;
  /** trainable × bytesPerElement. */
  trainableBytes: number;
}

const BYTES: Record<BudgetDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

/**
 * Options for {@link loraBudget}.
 *
 * @example
 * ```ts
 * import { type LoraBudgetOptions, loraBudget } from "@tunekit/lora";
 * const options: LoraBudgetOptions = { dtype: "F16" };
 * loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }], options).trainableBytes; // 9216
 * ```
 */
export interface LoraBudgetOptions {
  /** The storage type for the byte counts. Default `"F32"`. */
  dtype?: BudgetDType;
}

/**
 * Counts what LoRA trains against what it freezes. A module with an out × in weight and
 * rank r trains A (r × in) and B (out × r): r·(in + out) elements instead of out·in.
 * The worked example: a 512 × 64 weight (32,768 elements) at r = 8 trains 512 + 4,096 =
 * 4,608, an 85.9% (≈ 86%) reduction.
 *
 * @param modules - the adapted modules.
 * @param options - see {@link LoraBudgetOptions}.
 * @returns per-module and total counts.
 * @throws TunekitError `invalid_shape` naming the module when a size or rank is not a
 *   positive whole number.
 * @example
 * ```ts
 * import { loraBudget } from "@tunekit/lora";
 * const budget = loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }]);
 * budget.frozen; // 32768
 * budget.trainable; // 4608
 * ```
 */
export function loraBudget(
  modules: readonly BudgetModule[],
  options: LoraBudgetOptions = {},
): LoraBudget {
  const dtype = options.dtype ?? "F32";
  const bytesPerElement = BYTES[dtype];
  const out: ModuleBudget[] = [];
  let frozen = 0;
  let trainable = 0;
  for (const m of modules) {
    for (const [what, value] of [
      ["outFeatures", m.outFeatures],
      ["inFeatures", m.inFeatures],
      ["r", m.r],
    ] as const) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new TunekitError(
          "invalid_shape",
          `module ${m.name}: ${what} must be a positive whole number, got ${value}`,
        );
      }
    }
    const moduleFrozen = m.outFeatures * m.inFeatures;
    const loraA = m.r * m.inFeatures;
    const loraB = m.outFeatures * m.r;
    const other = (m.dora ? m.outFeatures : 0) + (m.loraBias ? m.outFeatures : 0);
    const moduleTrainable = loraA + loraB + other;
    out.push({
      name: m.name,
      shape: [m.outFeatures, m.inFeatures],
      r: m.r,
      frozen: moduleFrozen,
      loraA,
      loraB,
      other,
      trainable: moduleTrainable,
      reductionPercent: 100 * (1 - moduleTrainable / moduleFrozen),
    });
    frozen += moduleFrozen;
    trainable += moduleTrainable;
  }
  return {
    modules: out,
    frozen,
    trainable,
    reductionPercent: frozen === 0 ? 0 : 100 * (1 - trainable / frozen),
    dtype,
    bytesPerElement,
    frozenBytes: frozen * bytesPerElement,
    trainableBytes: trainable * bytesPerElement,
  };
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Renders a budget as a plain-text table: one row per module and a total, with counts
 * grouped by thousands and the change as a whole percentage (−86% for the 512 × 64, r = 8
 * example).
 *
 * @param budget - a result of {@link loraBudget}.
 * @returns the table, lines joined with `\n`.
 * @example
 * ```ts
 * import { formatLoraBudget, loraBudget } from "@tunekit/lora";
 * console.log(formatLoraBudget(loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }])));
 * ```
 */
export function formatLoraBudget(budget: LoraBudget): string {
  const showOther = budget.modules.some((m) => m.other > 0);
  const header = [
    "module",
    "shape",
    "r",
    "frozen",
    "A",
    "B",
    ...(showOther ? ["other"] : []),
    "trainable",
    "change",
  ];
  const change = (percent: number) =>
    percent >= 0 ? `−${Math.round(percent)}%` : `+${Math.round(-percent)}%`;
  const row = (
    name: string,
    shape: string,
    r: string,
    ms: readonly ModuleBudget[],
    frozen: number,
    trainable: number,
    percent: number,
  ) => [
    name,
    shape,
    r,
    group(frozen),
    group(ms.reduce((s, m) => s + m.loraA, 0)),
    group(ms.reduce((s, m) => s + m.loraB, 0)),
    ...(showOther ? [group(ms.reduce((s, m) => s + m.other, 0))] : []),
    group(trainable),
    change(percent),
  ];
  const rows = budget.modules.map((m) =>
    row(
      m.name,
      `${m.shape[0]}×${m.shape[1]}`,
      String(m.r),
      [m],
      m.frozen,
      m.trainable,
      m.reductionPercent,
    ),
  );
  if (budget.modules.length > 1) {
    rows.push(
      row(
        "total",
        "",
        "",
        budget.modules,
        budget.frozen,
        budget.trainable,
        budget.reductionPercent,
      ),
    );
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const bytes = `${budget.dtype}: ${group(budget.frozenBytes)} bytes frozen, ${group(budget.trainableBytes)} bytes trained`;
  return [line(header), ...rows.map(line), bytes].join("\n");
}

/**
 * The budget of a loaded adapter, its shapes read from the LoRA tensors (out = B's rows,
 * in = A's columns; for an embedding, out is the width and in the vocabulary).
 *
 * @param adapter - the adapter.
 * @param options - see {@link LoraBudgetOptions}.
 * @returns per-module and total counts.
 * @example
 * ```ts
 * import { adapterBudget, type LoraAdapter } from "@tunekit/lora";
 * declare const adapter: LoraAdapter;
 * console.log(adapterBudget(adapter).reductionPercent);
 * ```
 */
export function adapterBudget(adapter: LoraAdapter, options: LoraBudgetOptions = {}): LoraBudget {
  return loraBudget(
    adapter.modules.map((m) => ({
      name: m.name,
      outFeatures: m.b.rows,
      inFeatures: m.a.cols,
      r: m.r,
      dora: m.magnitude !== undefined,
      loraBias: m.bias !== undefined,
    })),
    options,
  );
}
