import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { fromArray, fromTypedArray, getRow, identity, toArray, zeros } from "./matrix";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return TunekitError.isInstance(error) ? error.code : `not a TunekitError: ${String(error)}`;
  }
  return undefined;
}

describe("matrix constructors", () => {
  it("zeros defaults to f32 and honours dtype", () => {
    const a = zeros(2, 3);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(a.data.length).toBe(6);
    expect(zeros(2, 3, { dtype: "f64" }).data).toBeInstanceOf(Float64Array);
    expect(zeros(0, 5).data.length).toBe(0);
    expect(codeOf(() => zeros(-1, 2))).toBe("invalid_shape");
    expect(codeOf(() => zeros(1.5, 2))).toBe("invalid_shape");
  });

  it("fromArray copies row-major and rejects ragged rows naming the row", () => {
    const m = fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromArray([[0.1]], { dtype: "f64" }).data[0]).toBe(0.1);
    expect(fromArray([[0.1]]).data[0]).toBe(Math.fround(0.1));
    expect(() => fromArray([[1, 2], [3]])).toThrow(/row 1 has 1 values but row 0 has 2/);
    expect(codeOf(() => fromArray([[1, 2], [3]]))).toBe("invalid_shape");
    expect([fromArray([]).rows, fromArray([]).cols]).toEqual([0, 0]);
  });

  it("fromTypedArray shares storage and checks the length", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const m = fromTypedArray(data, 3, 2);
    expect(m.data).toBe(data);
    expect(() => fromTypedArray(data, 4, 2)).toThrow(
      /4×2 matrix needs 8 elements but the array has 6/,
    );
  });

  it("identity, toArray and getRow", () => {
    expect(toArray(identity(3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const m = fromArray([
      [1, 2],
      [3, 4],
    ]);
    const row = getRow(m, 1);
    expect(Array.from(row)).toEqual([3, 4]);
    row[0] = 9; // a view: writes go through
    expect(m.data[2]).toBe(9);
    expect(codeOf(() => getRow(m, 2))).toBe("index_out_of_range");
  });
});
