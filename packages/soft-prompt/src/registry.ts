import { type Matrix, TunekitError } from "@tunekit/tensor";
import { type PromptTuningConfig, promptTuningConfig } from "./adapter";
import {
  type CausalLmBatch,
  type PrependOptions,
  type PrependSeq2SeqOptions,
  type PromptedCausalLmBatch,
  type PromptedSeq2SeqBatch,
  prependCausalLm,
  prependSeq2Seq,
  type Seq2SeqBatch,
} from "./prepend";
import { assertPromptFitsEmbeddings, type SoftPrompt } from "./prompt";

/**
 * A soft prompt held by a {@link SoftPromptRegistry} under a task name.
 *
 * @example
 * ```ts
 * import { SoftPromptRegistry, randomSoftPrompt, type RegisteredPrompt } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const registry = new SoftPromptRegistry(zeros(10, 4));
 * const entry: RegisteredPrompt = registry.add("qa", randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 4 }));
 * console.log(entry.config.peftType); // "PROMPT_TUNING"
 * ```
 */
export interface RegisteredPrompt {
  /** The task name. */
  name: string;
  /** The soft prompt. */
  prompt: SoftPrompt;
  /** Its adapter configuration (used when the registry is saved). */
  config: PromptTuningConfig;
}

/**
 * Options of {@link SoftPromptRegistry.add}.
 *
 * @example
 * ```ts
 * import type { AddPromptOptions } from "@tunekit/soft-prompt";
 * const options: AddPromptOptions = { replace: true };
 * ```
 */
export interface AddPromptOptions {
  /** The adapter configuration to keep with the prompt. Default: {@link promptTuningConfig} of the prompt. */
  config?: PromptTuningConfig;
  /** Replace a prompt already registered under the name. Default `false` (an error). */
  replace?: boolean;
}

/**
 * Options of the registry's prepend methods: the prepend options plus the task.
 *
 * @example
 * ```ts
 * import type { RegistryPrependOptions } from "@tunekit/soft-prompt";
 * const options: RegistryPrependOptions = { task: "summarize" };
 * ```
 */
export interface RegistryPrependOptions {
  /** Use this task's prompt instead of the active one (without switching). */
  task?: string;
}

const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Named soft prompts for one frozen model. Prompt tuning keeps the model fixed and
 * learns one small prompt per task, so changing the task is changing the prompt:
 * `registry.switch("summarize")`. Every prompt is checked against the model's
 * embedding matrix when added. `@tunekit/soft-prompt/node` saves and loads a registry
 * as one adapter folder per task.
 *
 * @example
 * ```ts
 * import { SoftPromptRegistry, randomSoftPrompt } from "@tunekit/soft-prompt";
 * import { randomNormal } from "@tunekit/tensor";
 * const registry = new SoftPromptRegistry(randomNormal(128, 64, { seed: 0 }));
 * registry.add("sentiment", randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 }, { seed: 1 }));
 * registry.add("topic", randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 }, { seed: 2 }));
 * registry.switch("topic");
 * const batch = registry.prependCausalLm({ inputIds: [[3, 96, 29]] });
 * ```
 */
export class SoftPromptRegistry {
  /** The frozen model's input embedding matrix, `vocab × hidden`. */
  readonly embeddings: Matrix;
  private readonly prompts = new Map<string, RegisteredPrompt>();
  private activeName: string | undefined;

  /**
   * @param embeddings - the frozen model's input embedding matrix, `vocab × hidden`.
   */
  constructor(embeddings: Matrix) {
    this.embeddings = embeddings;
  }

  /**
   * Registers a soft prompt under a task name. The first prompt added becomes active.
   *
   * @param name - the task name: letters, digits, `.`, `_`, `-` (it names a folder when saved).
   * @param prompt - the soft prompt.
   * @param options - see {@link AddPromptOptions}.
   * @returns the registered entry.
   * @throws TunekitError `invalid_task_name`, `task_exists` (unless `replace`),
   * `token_dim_mismatch` when the prompt does not fit the model.
   */
  add(name: string, prompt: SoftPrompt, options: AddPromptOptions = {}): RegisteredPrompt {
    if (!TASK_NAME.test(name)) {
      throw new TunekitError(
        "invalid_task_name",
        `task name ${JSON.stringify(name)} must start with a letter or digit and use only letters, digits, ".", "_" and "-"`,
      );
    }
    if (this.prompts.has(name) && !options.replace) {
      throw new TunekitError(
        "task_exists",
        `a soft prompt is already registered for task "${name}"; remove it first or pass { replace: true }`,
      );
    }
    assertPromptFitsEmbeddings(prompt, this.embeddings, `soft prompt for task "${name}"`);
    const entry: RegisteredPrompt = {
      name,
      prompt,
      config: options.config ?? promptTuningConfig(prompt),
    };
    this.prompts.set(name, entry);
    if (this.activeName === undefined) this.activeName = name;
    return entry;
  }

  /**
   * Whether a task is registered.
   *
   * @param name - the task name.
   * @returns true when a prompt is registered under `name`.
   */
  has(name: string): boolean {
    return this.prompts.has(name);
  }

  /**
   * The entry of a task.
   *
   * @param name - the task name.
   * @returns the registered entry.
   * @throws TunekitError `task_not_found` naming the registered tasks.
   */
  get(name: string): RegisteredPrompt {
    const entry = this.prompts.get(name);
    if (!entry) {
      throw new TunekitError(
        "task_not_found",
        `no soft prompt is registered for task "${name}"; registered: ${this.list().join(", ") || "none"}`,
      );
    }
    return entry;
  }

  /**
   * The registered task names, in the order they were added.
   *
   * @returns the names.
   */
  list(): string[] {
    return [...this.prompts.keys()];
  }

  /**
   * Removes a task. When it was active, no task is active afterwards.
   *
   * @param name - the task name.
   * @returns true when a prompt was removed.
   */
  remove(name: string): boolean {
    if (this.activeName === name) this.activeName = undefined;
    return this.prompts.delete(name);
  }

  /**
   * Makes a task's prompt the active one: the one call that changes the task.
   *
   * @param name - the task name.
   * @returns the now-active entry.
   * @throws TunekitError `task_not_found`.
   */
  switch(name: string): RegisteredPrompt {
    const entry = this.get(name);
    this.activeName = name;
    return entry;
  }

  /** The active entry, or `undefined` when no task is active. */
  get active(): RegisteredPrompt | undefined {
    return this.activeName === undefined ? undefined : this.prompts.get(this.activeName);
  }

  private pick(task: string | undefined): SoftPrompt {
    if (task !== undefined) return this.get(task).prompt;
    const active = this.active;
    if (!active) {
      throw new TunekitError(
        "task_not_found",
        `no task is active; call switch(name) first (registered: ${this.list().join(", ") || "none"})`,
      );
    }
    return active.prompt;
  }

  /**
   * {@link prependCausalLm} with the active (or named) task's prompt and the registry's
   * embedding matrix.
   *
   * @param batch - see {@link CausalLmBatch}.
   * @param options - prepend options plus `task`.
   * @returns see {@link PromptedCausalLmBatch}.
   * @throws TunekitError `task_not_found` when no task is active or named, and the
   * errors of {@link prependCausalLm}.
   */
  prependCausalLm(
    batch: CausalLmBatch,
    options: PrependOptions & RegistryPrependOptions = {},
  ): PromptedCausalLmBatch {
    return prependCausalLm(this.pick(options.task), this.embeddings, batch, options);
  }

  /**
   * {@link prependSeq2Seq} with the active (or named) task's prompt and the registry's
   * embedding matrix.
   *
   * @param batch - see {@link Seq2SeqBatch}.
   * @param options - prepend options plus `task`.
   * @returns see {@link PromptedSeq2SeqBatch}.
   * @throws TunekitError `task_not_found` when no task is active or named, and the
   * errors of {@link prependSeq2Seq}.
   */
  prependSeq2Seq(
    batch: Seq2SeqBatch,
    options: PrependSeq2SeqOptions & RegistryPrependOptions = {},
  ): PromptedSeq2SeqBatch {
    return prependSeq2Seq(this.pick(options.task), this.embeddings, batch, options);
  }
}
