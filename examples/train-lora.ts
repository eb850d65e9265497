// Train a LoRA pair: freeze a weight W, and learn a low-rank update ΔW = s·B·A that makes
// the layer fit a target. Only A (r × in) and B (out × r) are trained — far fewer numbers
// than W itself, which is the whole idea of LoRA.
//
// Run: cd examples && node --import tsx train-lora.ts
import {
  formatLoraBudget,
  initLoraWeights,
  type LoraWeights,
  loraBackward,
  loraBudget,
  loraForward,
  loraScaling,
  mergeLora,
} from "@tunekit/lora";
import {
  addScaledProduct,
  frobeniusNorm,
  type Matrix,
  matmul,
  randomNormal,
  sub,
} from "@tunekit/tensor";

const out = 128;
const inFeatures = 64;
const r = 4;
const alpha = 8;
const batch = 256;

// The frozen layer, and the layer we want: W plus an unknown rank-4 change.
const frozen = randomNormal(out, inFeatures, { seed: 1, std: 0.1 });
const target: Matrix = { ...frozen, data: frozen.data.slice() };
addScaledProduct(
  target,
  1,
  randomNormal(out, r, { seed: 2, std: 0.3 }),
  randomNormal(r, inFeatures, { seed: 3, std: 0.3 }),
);

console.log(formatLoraBudget(loraBudget([{ name: "layer", outFeatures: out, inFeatures, r }])));
console.log();

// peft's default start: A Kaiming-uniform, B = 0, so the adapter begins as a no-op.
const { a, b } = initLoraWeights(out, inFeatures, r, { seed: 4 });
const lora: LoraWeights = { a, b, scaling: loraScaling(alpha, r) };

// Adam (Kingma & Ba 2015, Algorithm 1) on A and B.
const learningRate = 0.01;
const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
const moments = [a, b].map((p) => ({
  m: new Float64Array(p.data.length),
  v: new Float64Array(p.data.length),
}));

const steps = 600;
for (let step = 1; step <= steps; step++) {
  // A fresh batch of inputs and the target layer's outputs for them.
  const x = randomNormal(batch, inFeatures, { seed: 1000 + step });
  const wanted = matmul(x, target, { transposeB: true });
  const predicted = loraForward(x, frozen, lora);
  // Loss ½·mean‖ŷ − y‖², whose gradient with respect to ŷ is (ŷ − y)/batch.
  const residual = sub(predicted, wanted);
  const loss = (0.5 * frobeniusNorm(residual) ** 2) / batch;
  for (let i = 0; i < residual.data.length; i++) residual.data[i] /= batch;
  const grads = loraBackward(x, residual, lora);
  [
    [a, grads.a],
    [b, grads.b],
  ].forEach(([param, grad], k) => {
    const { m, v } = moments[k];
    for (let i = 0; i < param.data.length; i++) {
      const g = grad.data[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = m[i] / (1 - beta1 ** step);
      const vHat = v[i] / (1 - beta2 ** step);
      param.data[i] -= (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
    }
  });
  if (step === 1 || step % 100 === 0)
    console.log(`step ${String(step).padStart(4)}  loss ${loss.toExponential(3)}`);
}

// Merge the trained pair into W: the layer now computes the target without the adapter.
const merged = mergeLora({ ...frozen, data: frozen.data.slice() }, lora);
const error = frobeniusNorm(sub(merged, target)) / frobeniusNorm(sub(frozen, target));
console.log(`\nafter merging: ‖W' − W_target‖ / ‖W − W_target‖ = ${error.toExponential(2)}`);
if (!(error < 0.05)) {
  console.error("training did not converge");
  process.exit(1);
}
