import type { DemoResult } from "./run-demo";

const f4 = (x: number) => x.toFixed(4);
const indent = (text: string, by = "    ") =>
  text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");

/** Renders the demo's result as the report people read in a terminal. */
export function renderDemoReport(result: DemoResult): string {
  const { data, evaluation, lora, softPrompt } = result;
  const out: string[] = [];
  const section = (title: string) => out.push("", title, "=".repeat(title.length));

  out.push("tunekit demo — instruction fine-tuning, end to end, on the built-in sample data");

  section("1. Instruction data");
  out.push(
    `${data.records} dialogues formatted with the DialogSum prompt. The first one:`,
    "",
    indent(`${data.firstPrompt}${data.firstTarget}`),
    "",
    `Seeded split (seed 42, stratified by topic): ${Object.entries(data.split.sizes)
      .map(([name, n]) => `${name} ${n}`)
      .join(", ")}.`,
    `A ${data.fewShot.shots}-shot prompt for a test dialogue (${data.fewShot.length} characters):`,
    "",
    indent(data.fewShot.prompt),
    "",
    `Multitask mix (examples-proportional, cap ${data.mix.cap}, temperature ${data.mix.temperature}):`,
    ...data.mix.tasks.map(
      (t) =>
        `    ${t.task.padEnd(10)} available ${String(t.available).padStart(2)}  rate ${f4(t.rate)}  got ${t.count}`,
    ),
  );

  section("2. Evaluation");
  out.push("ROUGE of the sample predictions (corpus mean, Porter stemmer, as rouge-score 0.1.2):");
  out.push("    type        precision  recall  F");
  for (const [type, s] of Object.entries(evaluation.rouge)) {
    out.push(`    ${type.padEnd(10)}  ${f4(s.precision)}     ${f4(s.recall)}  ${f4(s.fmeasure)}`);
  }
  const b = evaluation.bleu;
  out.push(
    "",
    `BLEU ${b.score.toFixed(2)} (n-gram precisions ${b.precisions.map((p) => p.toFixed(1)).join(" / ")}, BP ${f4(b.bp)})`,
    `    ${b.signature}`,
    "",
    `Why n-grams are clipped — reference "${evaluation.clipping.reference}":`,
  );
  for (const c of evaluation.clipping.cases) {
    out.push(
      `    "${c.prediction}"  ${c.order === 1 ? "unigram" : "bigram "} precision ${c.precision.toFixed(2)}, clipped ${c.modifiedPrecision.toFixed(2)}`,
    );
  }
  out.push(
    "    Repeating a reference word no longer pays once counts are clipped, and",
    "    word salad is caught only by longer n-grams.",
  );

  section("3. LoRA");
  out.push(
    "Train A (r × in) and B (out × r) instead of the frozen out × in weight:",
    "",
    indent(lora.budgetTable),
    "",
    `Merged the shipped adapter (${lora.merge.modules.length} modules) into the shipped base model:`,
    ...lora.merge.changed.map(
      (c) => `    ${c.tensor.padEnd(40)} max |ΔW| ${c.maxAbsChange.toExponential(3)}`,
    ),
    `    merged layer vs base + adapter on random inputs: max difference ${lora.merge.forwardVsMerged.toExponential(2)}`,
  );

  section("4. Soft prompts");
  out.push(
    `${softPrompt.numVirtualTokens} virtual tokens initialised from "${softPrompt.initText}".`,
    `Prepended to "the train platform": inputs_embeds ${softPrompt.inputsEmbedsShape.join(" × ")}`,
    `    attention_mask ${JSON.stringify(softPrompt.attentionMask)}`,
    `    labels         ${JSON.stringify(softPrompt.labels)}`,
    "Nearest vocabulary token of each virtual token (cosine):",
    `    ${softPrompt.nearest.map((n) => `${n.token} (${n.cosine.toFixed(2)})`).join(", ")}`,
    "Switching the task is switching the prompt:",
    ...softPrompt.switching.map(
      (s) => `    switch("${s.task}") → second virtual token reads "${s.firstVirtualToken}"`,
    ),
  );
  out.push("");
  return out.join("\n");
}
