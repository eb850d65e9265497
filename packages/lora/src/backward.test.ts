import { fromTypedArray, type Matrix } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { doraBackward, loraBackward } from "./backward";
import { doraForward, doraWeightNorm } from "./dora";
import { type LoraWeights, loraForward } from "./layer";

function values(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}
const f64 = (rows: number, cols: number, seed: number) =>
  fromTypedArray(values(rows * cols, seed), rows, cols);

/** L = Σ G ⊙ y: its gradient with respect to y is G. */
function loss(y: Matrix, g: Matrix): number {
  let sum = 0;
  for (let i = 0; i < y.data.length; i++) sum += y.data[i] * g.data[i];
  return sum;
}

/** Central finite difference of `f` with respect to every element of `m`. */
function numericGradient(m: Matrix | Float64Array, f: () => number, eps = 1e-6): Float64Array {
  const data = "data" in m ? m.data : m;
  const grad = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const keep = data[i];
    data[i] = keep + eps;
    const up = f();
    data[i] = keep - eps;
    const down = f();
    data[i] = keep;
    grad[i] = (up - down) / (2 * eps);
  }
  return grad;
}

function expectClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>): void {
  expect(analytic.length).toBe(numeric.length);
  for (let i = 0; i < numeric.length; i++) {
    expect(Math.abs(analytic[i] - numeric[i])).toBeLessThanOrEqual(
      1e-6 * (1 + Math.abs(numeric[i])),
    );
  }
}

describe("loraBackward", () => {
  for (const fanInFanOut of [false, true]) {
    it(`matches finite differences for A, B, b_B and x (fan_in_fan_out ${fanInFanOut})`, () => {
      const [out, inF, r, batch] = [5, 4, 3, 6];
      const x = f64(batch, inF, 1);
      const weight = fanInFanOut ? f64(inF, out, 2) : f64(out, inF, 2);
      const lora: LoraWeights = {
        a: f64(r, inF, 3),
        b: f64(out, r, 4),
        bias: values(out, 5),
        scaling: 1.7,
        fanInFanOut,
      };
      const g = f64(batch, out, 6);
      const grads = loraBackward(x, g, lora, { weight });
      const objective = () => loss(loraForward(x, weight, lora), g);
      expectClose(grads.a.data, numericGradient(lora.a, objective));
      expectClose(grads.b.data, numericGradient(lora.b, objective));
      expectClose(grads.bias!, numericGradient(lora.bias as Float64Array, objective));
      expectClose(grads.x!.data, numericGradient(x, objective));
    });
  }
});

describe("doraBackward", () => {
  for (const fanInFanOut of [false, true]) {
    it(`matches finite differences with the weight norm held constant (fan_in_fan_out ${fanInFanOut})`, () => {
      const [out, inF, r, batch] = [4, 5, 2, 3];
      const x = f64(batch, inF, 11);
      const weight = fanInFanOut ? f64(inF, out, 12) : f64(out, inF, 12);
      const lora: LoraWeights = {
        a: f64(r, inF, 13),
        b: f64(out, r, 14),
        scaling: 0.8,
        fanInFanOut,
      };
      const magnitude = values(out, 15).map((v) => 1 + Math.abs(v));
      const g = f64(batch, out, 16);
      const grads = doraBackward(x, g, weight, lora, magnitude);
      // peft detaches ‖W + ΔW‖, so A and B are differentiated with the norm frozen at its value.
      const norms = doraWeightNorm(weight, lora);
      const frozenNorm = () => {
        const direction = loraForward(x, weight, lora);
        let sum = 0;
        for (let i = 0; i < batch; i++) {
          for (let j = 0; j < out; j++)
            sum += (g.data[i * out + j] * magnitude[j] * direction.data[i * out + j]) / norms[j];
        }
        return sum;
      };
      expectClose(grads.a.data, numericGradient(lora.a, frozenNorm));
      expectClose(grads.b.data, numericGradient(lora.b, frozenNorm));
      // m and x do not enter the norm, so the real forward can be differentiated directly.
      const objective = () => loss(doraForward(x, weight, lora, magnitude), g);
      expectClose(grads.magnitude, numericGradient(magnitude, objective));
      expectClose(grads.x.data, numericGradient(x, objective));
      // The gradients are not trivially zero, so the comparisons above can fail.
      expect(Math.max(...Array.from(grads.a.data, Math.abs))).toBeGreaterThan(1e-3);
    });
  }
});
