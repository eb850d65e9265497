import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFormatWorkers } from "./format-file";
import { formatJsonlFile } from "./node";
import { DataFileError, type RejectedLine } from "./records";
import { type PromptTemplate, renderTemplate } from "./template";

const DIALOGSUM: PromptTemplate = {
  name: "dialogsum",
  input: "Summarize the following conversation.\n\n{dialogue}\n\nSummary: ",
  target: "{summary}",
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "instruct-format-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Literal text that itself needs escaping.
const QUOTED: PromptTemplate = {
  name: "quoted",
  input: 'Say "{dialogue}"\t\\',
  target: "{summary}",
};

/** The one-record-at-a-time reference: render, then JSON.stringify each pair. */
function expectedOutput(records: Record<string, unknown>[], template = DIALOGSUM): string {
  return records
    .map((record) => {
      const { input, target } = renderTemplate(template, record);
      return `${JSON.stringify({ prompt: input, completion: target })}\n`;
    })
    .join("");
}

// Text that exercises every escaping path and multi-byte UTF-8 at batch edges.
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "\\", "\n", "\r", "\t", "\u0000", "\u2028", "😀", "é", "a", " "),
    fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 40,
});

describe("formatJsonlFile", () => {
  it("writes the same bytes as rendering and JSON.stringify per record, for any batch size", async () => {
    const input = join(dir, "in.jsonl");
    const output = join(dir, "out.jsonl");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ dialogue: text, summary: text, id: fc.nat() }), { maxLength: 15 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom("\n", "\r\n", "\n\n  \n"),
        fc.boolean(),
        fc.constantFrom(DIALOGSUM, QUOTED),
        async (records, batchSize, separator, finalNewline, template) => {
          const lines = records.map((r) => JSON.stringify(r));
          await writeFile(input, lines.join(separator) + (finalNewline ? separator : ""));
          let progress = 0;
          const counts = await formatJsonlFile(input, output, template, {
            batchSize,
            fsync: false,
            onProgress: (bytes) => {
              progress = bytes;
            },
          });
          const expected = expectedOutput(records, template);
          expect((await readFile(output)).equals(Buffer.from(expected))).toBe(true);
          expect(counts.records).toBe(records.length);
          expect(counts.invalid).toBe(0);
          expect(progress).toBe((await readFile(input)).length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads every escape of the input, also ones JSON.stringify never writes", async () => {
    const input = join(dir, "escapes.jsonl");
    const lines = [
      '{"dialogue":"a\\/b\\nc","summary":"s"}',
      '{"dialogue":"a\\\\tb \\"q\\"","summary":"\\\\"}',
      '{"dialogue":"tab\\there","summary":"\\u00e9\\ud83d\\ude00\\ud800"}',
      '{"dialogue":"cr\\r\\b\\f\\u0001","summary":"\\u0022\\u005c"}',
    ];
    await writeFile(input, `${lines.join("\n")}\n`);
    for (const template of [DIALOGSUM, QUOTED]) {
      await formatJsonlFile(input, join(dir, "out.jsonl"), template);
      const expected = expectedOutput(
        lines.map((line) => JSON.parse(line)),
        template,
      );
      expect(await readFile(join(dir, "out.jsonl"), "utf8")).toBe(expected);
    }
  });

  it("skips a byte-order mark on the first line only", async () => {
    const input = join(dir, "bom.jsonl");
    const record = { dialogue: "#Person1#: Hi.", summary: "A greeting." };
    await writeFile(input, `\ufeff${JSON.stringify(record)}\n\ufeff${JSON.stringify(record)}\n`);
    const rejected: RejectedLine[] = [];
    const counts = await formatJsonlFile(input, join(dir, "out.jsonl"), DIALOGSUM, {
      batchSize: 8,
      skipInvalid: true,
      onReject: (r) => {
        rejected.push(r);
      },
    });
    expect(counts.records).toBe(1);
    expect(rejected.map((r) => [r.line, r.code])).toEqual([[2, "invalid_json"]]);
  });

  it("names the file and line of a bad line across batches, and leaves no output", async () => {
    const input = join(dir, "bad.jsonl");
    const output = join(dir, "out.jsonl");
    const good = JSON.stringify({ dialogue: "d", summary: "s" });
    const lines = [good, good, "", good, "{oops", good, '{"dialogue":"no summary"}', "[1]", good];
    await writeFile(input, `${lines.join("\n")}\n`);
    const error = await formatJsonlFile(input, output, DIALOGSUM, { batchSize: 16 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).line).toBe(5);
    expect((error as DataFileError).code).toBe("invalid_json");
    expect((error as DataFileError).message).toMatch(/^.*bad\.jsonl:5: /);
    expect(await readdir(dir)).toEqual(["bad.jsonl"]);

    const rejected: RejectedLine[] = [];
    const counts = await formatJsonlFile(input, output, DIALOGSUM, {
      batchSize: 16,
      skipInvalid: true,
      onReject: (r) => {
        rejected.push(r);
      },
    });
    expect(rejected.map((r) => [r.line, r.code, r.text])).toEqual([
      [5, "invalid_json", "{oops"],
      [7, "template_missing_field", '{"dialogue":"no summary"}'],
      [8, "invalid_record", "[1]"],
    ]);
    expect(counts).toEqual({ records: 5, invalid: 3, blankLines: 1 });
    expect((await readFile(output, "utf8")).split("\n").length - 1).toBe(5);
  });

  it("asks for onReject with skipInvalid, and reports a missing file", async () => {
    await expect(
      formatJsonlFile(join(dir, "x.jsonl"), join(dir, "o.jsonl"), DIALOGSUM, { skipInvalid: true }),
    ).rejects.toMatchObject({ code: "rejects_required" });
    await expect(
      formatJsonlFile(join(dir, "missing.jsonl"), join(dir, "o.jsonl"), DIALOGSUM),
    ).rejects.toMatchObject({ code: "file_not_found" });
    expect(await readdir(dir)).toEqual([]);
  });

  // Worker threads run plain JavaScript: the built worker script (`npx tsup`).
  const script = fileURLToPath(new URL("../dist/format-worker.js", import.meta.url));
  it.runIf(existsSync(script))(
    "gives the same bytes on worker threads, in input order",
    async () => {
      const input = join(dir, "in.jsonl");
      const records = Array.from({ length: 3000 }, (_, i) => ({
        dialogue: `#Person1#: line ${i} "quoted" é\n#Person2#: ${"x".repeat(i % 97)}`,
        summary: `summary ${i}`,
      }));
      await writeFile(input, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
      const bytes = await readFile(input);
      const pool = startFormatWorkers(2, { template: DIALOGSUM, answerOptions: "auto" }, script);
      try {
        // Uneven batches so that they finish out of order; results are joined in job order.
        const cuts = [0];
        for (let at = 0; ; ) {
          const next = bytes.indexOf(10, at + 1 + ((cuts.length * 7919) % 40000));
          if (next === -1) break;
          cuts.push(next + 1);
          at = next + 1;
        }
        if (cuts[cuts.length - 1] < bytes.length) cuts.push(bytes.length);
        const jobs = cuts.slice(1).map((end, i) => {
          const own = new Uint8Array(end - cuts[i]);
          own.set(bytes.subarray(cuts[i], end));
          return pool.run({ bytes: own, first: i === 0 });
        });
        const results = await Promise.all(jobs);
        const joined = Buffer.concat(results.map((r) => r.bytes));
        expect(joined.equals(Buffer.from(expectedOutput(records)))).toBe(true);
        expect(results.reduce((n, r) => n + r.records, 0)).toBe(records.length);
      } finally {
        await pool.close();
      }
    },
  );
});
