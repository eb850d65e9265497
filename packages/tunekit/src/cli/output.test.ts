import { describe, expect, it } from "vitest";
import { genericTable, renderTable } from "./output";

describe("renderTable", () => {
  it("aligns columns and rounds numbers to 6 significant digits", () => {
    const text = renderTable([
      { name: "rouge1", fmeasure: 0.123456789 },
      { name: "rougeLsum", fmeasure: 1 },
    ]);
    expect(text.split("\n")).toEqual([
      "name       fmeasure",
      "---------  --------",
      "rouge1     0.123457",
      "rougeLsum  1",
    ]);
  });

  it("turns an object of objects into one row per key", () => {
    const text = genericTable({ a: { x: 1 }, b: { x: 2 } });
    expect(text.split("\n")[0]).toBe("name  x");
    expect(text.split("\n")[3]).toBe("b     2");
  });
});
