import { readFixture, readFixtureText } from "./read-fixtures";

/** BLEU as the sacrebleu fixtures store it (sacrebleu's own field names). */
export interface FixtureBleu {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
  signature?: string;
}

/** A corpus BLEU record of `sacrebleu_dialogsum_dev.json`. */
export interface DialogsumCorpusBleu extends FixtureBleu {
  kind: "corpus_bleu";
  params: { tokenize?: string; smooth_method?: string; lowercase?: boolean };
  signature: string;
  signature_short: string;
}

/** A corpus chrF record of `sacrebleu_dialogsum_dev.json`. */
export interface DialogsumCorpusChrf {
  kind: "corpus_chrf";
  params: { word_order?: number; lowercase?: boolean };
  signature: string;
  score: number;
  char_order: number;
  word_order: number;
  beta: number;
  format: string;
  stats_sum: number[];
}

/** A corpus TER record of `sacrebleu_dialogsum_dev.json`. */
export interface DialogsumCorpusTer {
  kind: "corpus_ter";
  params: { case_sensitive?: boolean };
  signature: string;
  score: number;
  num_edits: number;
  ref_length: number;
}

/** A sentence-level record of `sacrebleu_dialogsum_dev.json` (first 200 examples). */
export interface DialogsumSentence {
  kind: "sentence";
  id: string;
  index: number;
  "bleu|summary": FixtureBleu;
  "bleu_lowercase|summary": FixtureBleu;
  "chrf|summary": number;
  "chrfpp|summary": number;
  "ter|summary": { score: number; num_edits: number; ref_length: number };
}

type DialogsumRecord =
  | DialogsumCorpusBleu
  | DialogsumCorpusChrf
  | DialogsumCorpusTer
  | DialogsumSentence;

/** sacrebleu 2.6.0 on the DialogSum dev set, with the texts it was given. */
export interface DialogsumFixture {
  meta: { inputs: { sha256: string; hypotheses: string } };
  records: DialogsumRecord[];
  /** Hypotheses: the first three lines of each dialogue, as the fixture's `meta` says. */
  hypotheses: string[];
  /** References: each example's summary. */
  references: string[];
  corpusBleu: DialogsumCorpusBleu[];
  corpusChrf: DialogsumCorpusChrf[];
  corpusTer: DialogsumCorpusTer[];
  sentences: DialogsumSentence[];
}

/** The DialogSum dev corpus (shared with the ROUGE fixtures), one record a line. */
export function dialogsumCorpusText(): string {
  return readFixtureText("rouge/corpus/dialogsum.dev.jsonl");
}

/** `sacrebleu_dialogsum_dev.json` with its inputs rebuilt as its `meta` describes. */
export function dialogsumFixture(): DialogsumFixture {
  const fixture = readFixture<{ meta: DialogsumFixture["meta"]; records: DialogsumRecord[] }>(
    "sacrebleu/sacrebleu_dialogsum_dev.json",
  );
  const rows = dialogsumCorpusText()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { dialogue: string; summary: string });
  return {
    ...fixture,
    // "'\n'.join(dialogue.split('\n')[:3]) of every record, file order"
    hypotheses: rows.map((r) => r.dialogue.split("\n").slice(0, 3).join("\n")),
    references: rows.map((r) => r.summary),
    corpusBleu: fixture.records.filter((r): r is DialogsumCorpusBleu => r.kind === "corpus_bleu"),
    corpusChrf: fixture.records.filter((r): r is DialogsumCorpusChrf => r.kind === "corpus_chrf"),
    corpusTer: fixture.records.filter((r): r is DialogsumCorpusTer => r.kind === "corpus_ter"),
    sentences: fixture.records.filter((r): r is DialogsumSentence => r.kind === "sentence"),
  };
}

/** sacrebleu 2.6.0 on purpose-built inputs (`sacrebleu_edge_cases.json`). */
export interface EdgeCasesFixture {
  texts: string[];
  multi: { hyp: string; refs: string[] }[];
  tokenized: Record<"13a" | "intl" | "char" | "zh" | "none", string[]>;
  lowercased: string[];
  random_tokenized: [string, string, string, string][];
  corpus_bleu: {
    params: {
      tokenize?: string;
      smooth_method?: string;
      lowercase?: boolean;
      smooth_value?: number;
      max_ngram_order?: number;
      effective_order?: boolean;
    };
    texts?: FixtureBleu;
    multi: FixtureBleu;
  }[];
  sentence_bleu: { hyp: string; refs: string[]; tokenize: string; result: FixtureBleu }[];
  chrf: {
    params: {
      word_order?: number;
      char_order?: number;
      beta?: number;
      lowercase?: boolean;
      whitespace?: boolean;
      eps_smoothing?: boolean;
    };
    multi: number;
    multi_stats: number[];
    texts: number;
    sentence: number[];
    signature: string;
  }[];
  ter_random: { hyp: string; ref: string; num_edits: number; ref_length: number; score: number }[];
  ter: {
    params: {
      normalized?: boolean;
      no_punct?: boolean;
      asian_support?: boolean;
      case_sensitive?: boolean;
    };
    texts: { score: number; num_edits: number; ref_length: number };
    multi: { score: number; num_edits: number; ref_length: number };
    signature: string;
    tokenized: string[];
  }[];
}

/** Reads `sacrebleu_edge_cases.json`. */
export function edgeCasesFixture(): EdgeCasesFixture {
  return readFixture<EdgeCasesFixture>("sacrebleu/sacrebleu_edge_cases.json");
}

/** A signature without its last field, the version (sacrebleu's or ours). */
export function withoutVersion(signature: string): string {
  return signature.replace(/\|version:[^|]*$/, "");
}
