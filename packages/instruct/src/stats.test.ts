import { describe, expect, it } from "vitest";
import {
  datasetStats,
  distribution,
  escapeHtml,
  percentile,
  renderHistogram,
  renderStatsHtml,
  renderStatsText,
  StatsCollector,
} from "./stats";

describe("percentile", () => {
  it("interpolates linearly between ranks like numpy.percentile", () => {
    // numpy.percentile([1, 2, 3, 4], [0, 50, 90, 100]) → 1, 2.5, 3.7, 4
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 99)).toBe(7);
    expect(() => percentile([], 50)).toThrow(/needs values/);
    expect(() => percentile([1], 101)).toThrow(/p = 101/);
  });
});

describe("distribution", () => {
  it("bins whole-number lengths with a whole-number width", () => {
    const d = distribution([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)!;
    expect(d.histogram).toEqual({ edges: [0, 3, 6, 9, 12], counts: [3, 3, 3, 2] });
    expect(d.count).toBe(11);
    expect(d.mean).toBe(5);
    expect(distribution([4, 4, 4])!.histogram).toEqual({ edges: [4, 5], counts: [3] });
    expect(distribution([])).toBeUndefined();
  });
});

describe("datasetStats", () => {
  it("counts presence, types, empties and lengths in code points and Python words", () => {
    const stats = datasetStats([
      { text: "héllo 😀 wörld", tags: ["a", "b"] },
      { text: "", tags: [] },
      { text: "one\u001ctwo\u0085three\ufefffour", n: 3 },
      { text: null },
    ]);
    expect(stats.records).toBe(4);
    expect(stats.fields.text).toMatchObject({ present: 4, missing: 0, empty: 1 });
    expect(stats.fields.text.types).toEqual({ string: 3, null: 1 });
    // "héllo 😀 wörld" is 13 code points (the emoji is one); Python splits on \x1c and \x85
    // but not on U+FEFF, so the third text has 3 words.
    expect(stats.fields.text.chars?.max).toBe(18); // len("one\x1ctwo\x85three\ufefffour")
    expect(stats.fields.text.chars?.min).toBe(0);
    expect(datasetStats([{ t: "héllo 😀 wörld" }]).fields.t.chars?.max).toBe(13);
    expect(datasetStats([{ t: "one\u001ctwo\u0085three\ufefffour" }]).fields.t.words?.max).toBe(3);
    expect(stats.fields.tags).toMatchObject({ present: 2, missing: 2, empty: 1 });
    expect(stats.fields.tags.items).toMatchObject({ min: 0, max: 2 });
    expect(stats.fields.n.types).toEqual({ number: 1 });
    expect(Object.keys(stats.fields)).toEqual(["text", "tags", "n"]);
  });

  it("limits to chosen fields and counts tokens through a callback", () => {
    const collector = new StatsCollector({
      fields: ["q", "absent"],
      tokenCount: (text) => text.length * 2,
    });
    collector.add({ q: "abc", other: "x" });
    const stats = collector.result();
    expect(Object.keys(stats.fields)).toEqual(["q", "absent"]);
    expect(stats.fields.q.tokens?.max).toBe(6);
    expect(stats.fields.absent).toEqual({ present: 0, missing: 1, empty: 0, types: {} });
  });
});

describe("renderers", () => {
  it("draws an ASCII histogram scaled to the largest bin", () => {
    expect(renderHistogram({ edges: [0, 10, 20], counts: [4, 2] }, { width: 8 })).toBe(
      "0–9   │████████│ 4\n10–19 │████    │ 2",
    );
    expect(renderHistogram({ edges: [5, 6, 7], counts: [3, 1] }, { width: 3 })).toBe(
      "5 │███│ 3\n6 │█  │ 1",
    );
  });

  it("renders text with every field and histogram", () => {
    const text = renderStatsText(datasetStats([{ a: "x y" }, { a: "z" }]));
    expect(text).toContain("records: 2");
    expect(text).toContain("a: present 2, missing 0, empty 0 (string 2)");
    expect(text).toContain("words: min 1  p50 1.5");
  });

  it("renders a self-contained HTML page and escapes every text", () => {
    const html = renderStatsHtml(datasetStats([{ "<script>x</script>": "a b" }]), {
      title: 'Stats for "a&b"',
    });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("<title>Stats for &quot;a&amp;b&quot;</title>");
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/(src|href)=/);
    expect(escapeHtml(`<'&">`)).toBe("&lt;&#39;&amp;&quot;&gt;");
  });
});
