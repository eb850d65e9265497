import { fromArray, type Matrix, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { softPromptGradient } from "./gradient";
import { prependCausalLm } from "./prepend";
import { createSoftPrompt, type SoftPrompt } from "./prompt";

// A nonlinear loss of the prompted inputs: L = Σ_b Σ_{r,c} w[r mod 3][c] · tanh(x_b[r][c]).
// Its upstream gradient is w · (1 − tanh²(x)); the prompt gradient is checked against
// central finite differences of L with respect to each prompt value.
const weights = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.75],
  [-2, 1, 0.5],
];
const embeddings = fromArray([
  [0.1, -0.2, 0.3],
  [0.4, 0.5, -0.6],
  [-0.7, 0.8, 0.9],
  [1.0, -1.1, 0.2],
]);
const batch = { inputIds: [[0, 1, 2], [3, 3], [2]] };

function loss(prompt: SoftPrompt): number {
  let total = 0;
  for (const x of prependCausalLm(prompt, embeddings, batch).inputsEmbeds) {
    for (let r = 0; r < x.rows; r++) {
      for (let c = 0; c < 3; c++) total += weights[r % 3][c] * Math.tanh(x.data[r * 3 + c]);
    }
  }
  return total;
}

function upstream(prompt: SoftPrompt): Matrix[] {
  return prependCausalLm(prompt, embeddings, batch).inputsEmbeds.map((x) => {
    const g = zeros(x.rows, 3, { dtype: "f64" });
    for (let r = 0; r < x.rows; r++) {
      for (let c = 0; c < 3; c++) {
        const t = Math.tanh(x.data[r * 3 + c]);
        g.data[r * 3 + c] = weights[r % 3][c] * (1 - t * t);
      }
    }
    return g;
  });
}

describe("softPromptGradient", () => {
  it("matches central finite differences of a loss through prependCausalLm", () => {
    const values = [0.3, -0.1, 0.7, -0.4, 0.2, 0.05];
    const prompt = createSoftPrompt(fromArray([values.slice(0, 3), values.slice(3)]));
    const grad = softPromptGradient(prompt, { inputsEmbeds: upstream(prompt) });
    expect([grad.rows, grad.cols]).toEqual([2, 3]);
    const h = 1e-2; // f32 storage of the prompt: a large step keeps rounding error small
    values.forEach((_, k) => {
      const plus = [...values];
      const minus = [...values];
      plus[k] += h;
      minus[k] -= h;
      const at = (v: number[]) => loss(createSoftPrompt(fromArray([v.slice(0, 3), v.slice(3)])));
      const numeric = (at(plus) - at(minus)) / (2 * h);
      expect(grad.data[k]).toBeCloseTo(numeric, 3);
    });
  });

  it("sums the first n rows over the batch and ignores the rest", () => {
    const prompt = createSoftPrompt(zeros(1, 2));
    const grad = softPromptGradient(prompt, {
      inputsEmbeds: [
        fromArray([
          [1, 2],
          [100, 100],
        ]),
        fromArray([[10, 20]]),
      ],
    });
    expect(Array.from(grad.data)).toEqual([11, 22]);
  });

  it("fills decoder rows from decoder gradients and leaves them zero otherwise", () => {
    const prompt = createSoftPrompt(zeros(2, 1), { numTransformerSubmodules: 2 });
    const encoderOnly = softPromptGradient(prompt, { inputsEmbeds: [fromArray([[3], [4]])] });
    expect(Array.from(encoderOnly.data)).toEqual([3, 0]);
    const both = softPromptGradient(prompt, {
      inputsEmbeds: [fromArray([[3], [4]])],
      decoderInputsEmbeds: [fromArray([[5], [6]]), fromArray([[1]])],
    });
    expect(Array.from(both.data)).toEqual([3, 6]);
  });

  it("rejects gradients narrower or shorter than the prompt", () => {
    const prompt = createSoftPrompt(zeros(2, 2));
    expect(() => softPromptGradient(prompt, { inputsEmbeds: [zeros(1, 2)] })).toThrow(
      /inputsEmbeds\[0\] is 1×2/,
    );
    expect(() => softPromptGradient(prompt, { inputsEmbeds: [zeros(3, 3)] })).toThrow(/3×3/);
    expect(() =>
      softPromptGradient(prompt, { inputsEmbeds: [], decoderInputsEmbeds: [zeros(2, 2)] }),
    ).toThrow(/no decoder rows/);
  });
});
