// Prompt tuning on a toy model: the model stays frozen, only a 2-token soft prompt is
// trained, and switching the prompt switches the task.
//
// The frozen "model" below mean-pools its input embeddings and applies one small
// hidden layer and a logistic head. (With a purely linear head after mean pooling a
// prompt could only shift the output bias; the hidden layer gives it something to steer.)
// It has two skills — judging the colour of a 3-word phrase and judging its size — each
// behind a gate that no real word opens. A soft prompt learns to open one of them.
//
// Run: cd examples && node --import tsx train-soft-prompt.ts
import {
  nearestTokens,
  prependCausalLm,
  randomSoftPrompt,
  type SoftPrompt,
  SoftPromptRegistry,
  softPromptGradient,
} from "@tunekit/soft-prompt";
import { addInPlace, createRng, fromArray, type Matrix, zeros } from "@tunekit/tensor";

// ---- the frozen model ------------------------------------------------------------------

// Embedding columns: [colour (+1 red, −1 blue), size (+1 big, −1 small), colour gate,
// size gate, shape (+1 round, −1 square)]. Words never use the gate columns.
const words: string[] = [];
const rows: number[][] = [];
for (const colour of [1, -1]) {
  for (const size of [1, -1]) {
    for (const shape of [1, -1]) {
      words.push(
        `${size > 0 ? "big" : "small"}-${colour > 0 ? "red" : "blue"}-${shape > 0 ? "ball" : "box"}`,
      );
      rows.push([colour, size, 0, 0, shape]);
    }
  }
}
const embeddings = fromArray(rows); // 8 × 5, frozen
const HIDDEN_ROWS = [
  // pre-activation = w · mean + bias; a gate column at 1 lifts its skill's units by 3
  { w: [1, 0, 3, 0, 0], bias: -3 }, // colour is red
  { w: [-1, 0, 3, 0, 0], bias: -3 }, // colour is blue
  { w: [0, 1, 0, 3, 0], bias: -3 }, // size is big
  { w: [0, -1, 0, 3, 0], bias: -3 }, // size is small
];
const HEAD = [1, -1, 1, -1]; // logit = red − blue + big − small
const SCALE = 12;

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Forward pass on one prompted input; returns p(label = 1) and ∂loss/∂pooled for a label. */
function frozenModel(x: Matrix, label?: number): { p: number; dPooled: number[] } {
  const d = x.cols;
  const pooled = new Array<number>(d).fill(0);
  for (let r = 0; r < x.rows; r++)
    for (let c = 0; c < d; c++) pooled[c] += x.data[r * d + c] / x.rows;
  const pre = HIDDEN_ROWS.map(({ w, bias }) => w.reduce((s, wc, c) => s + wc * pooled[c], bias));
  const logit = SCALE * pre.reduce((s, v, k) => s + HEAD[k] * softplus(v), 0);
  const p = sigmoid(logit);
  const dPooled = new Array<number>(d).fill(0);
  if (label !== undefined) {
    const dLogit = p - label; // binary cross-entropy
    pre.forEach((v, k) => {
      const dPre = dLogit * SCALE * HEAD[k] * sigmoid(v); // softplus' = sigmoid
      HIDDEN_ROWS[k].w.forEach((wc, c) => {
        dPooled[c] += dPre * wc;
      });
    });
  }
  return { p, dPooled };
}

// ---- data: every 3-word phrase, two labelings --------------------------------------------

const phrases: number[][] = [];
for (let a = 0; a < 8; a++)
  for (let b = 0; b < 8; b++) for (let c = 0; c < 8; c++) phrases.push([a, b, c]);
const majority = (ids: number[], column: number) =>
  ids.reduce((s, id) => s + rows[id][column], 0) > 0 ? 1 : 0;
const tasks = {
  colour: (ids: number[]) => majority(ids, 0), // 1 = mostly red
  size: (ids: number[]) => majority(ids, 1), // 1 = mostly big
};
type Task = keyof typeof tasks;

function accuracy(prompt: SoftPrompt, task: Task): number {
  const { inputsEmbeds } = prependCausalLm(prompt, embeddings, { inputIds: phrases });
  let correct = 0;
  inputsEmbeds.forEach((x, i) => {
    if ((frozenModel(x).p > 0.5 ? 1 : 0) === tasks[task](phrases[i])) correct += 1;
  });
  return correct / phrases.length;
}

// ---- prompt tuning: gradient descent on the prompt only ----------------------------------

function train(task: Task, seed: number): SoftPrompt {
  const prompt = randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 5 }, { seed });
  const rng = createRng(seed);
  const learningRate = 0.5;
  console.log(`${task}: start, accuracy ${(100 * accuracy(prompt, task)).toFixed(1)}%`);
  for (let step = 1; step <= 300; step++) {
    const batch = Array.from({ length: 32 }, () => phrases[rng.int(phrases.length)]);
    const { inputsEmbeds } = prependCausalLm(prompt, embeddings, { inputIds: batch });
    // ∂loss/∂inputs_embeds: mean pooling spreads ∂loss/∂pooled evenly over the rows.
    const upstream = inputsEmbeds.map((x, b) => {
      const { dPooled } = frozenModel(x, tasks[task](batch[b]));
      const g = zeros(x.rows, x.cols);
      for (let r = 0; r < x.rows; r++) {
        for (let c = 0; c < x.cols; c++)
          g.data[r * x.cols + c] = dPooled[c] / x.rows / batch.length;
      }
      return g;
    });
    const grad = softPromptGradient(prompt, { inputsEmbeds: upstream });
    addInPlace(prompt.promptEmbeddings, grad, -learningRate);
    if (step % 100 === 0) {
      console.log(`${task}: step ${step}, accuracy ${(100 * accuracy(prompt, task)).toFixed(1)}%`);
    }
  }
  return prompt;
}

const registry = new SoftPromptRegistry(embeddings);
registry.add("colour", train("colour", 1));
registry.add("size", train("size", 2));

// ---- switching the task is switching the prompt -------------------------------------------

for (const active of ["colour", "size"] as const) {
  const { prompt } = registry.switch(active);
  const scores = (["colour", "size"] as const)
    .map((task) => `${task} ${(100 * accuracy(prompt, task)).toFixed(1)}%`)
    .join(", ");
  console.log(`prompt "${active}" active → accuracy on ${scores}`);
  if (accuracy(prompt, active) < 0.99)
    throw new Error(`the ${active} prompt did not learn its task`);
}

// Reading the prompt through the vocabulary: the learned vectors live in the gate columns
// no word uses, so even the nearest word is far away — the projection says little.
for (const v of nearestTokens(registry.get("colour").prompt, embeddings, { topK: 1 })) {
  const [n] = v.neighbours;
  console.log(
    `colour prompt, virtual token ${v.index}: nearest word ${words[n.id]} (cosine ${n.cosine.toFixed(2)})`,
  );
}
