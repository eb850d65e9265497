/**
 * A minimal WebAssembly binary writer: enough of the MVP and fixed-width SIMD encodings
 * (WebAssembly Core Specification 2.0, §5 "Binary Format") to assemble small numeric
 * kernels at run time, so the package ships no prebuilt binary and needs no toolchain.
 */

/** Value types (§5.3.1). */
export const ValueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** Unsigned LEB128 (§5.2.2). */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (§5.2.2). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  while (true) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** An instruction sequence being written; every method appends and returns `this`. */
export class CodeWriter {
  readonly bytes: number[] = [];

  raw(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  // Control (§5.4.1). Blocks and loops here take and give no values.
  block(): this {
    return this.raw(0x02, 0x40);
  }
  loop(): this {
    return this.raw(0x03, 0x40);
  }
  end(): this {
    return this.raw(0x0b);
  }
  br(depth: number): this {
    return this.raw(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.raw(0x0d, ...uleb(depth));
  }

  // Variables (§5.4.4).
  get(local: number): this {
    return this.raw(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.raw(0x21, ...uleb(local));
  }

  // Numeric (§5.4.7).
  i32Const(value: number): this {
    return this.raw(0x41, ...sleb(value));
  }
  i32Add(): this {
    return this.raw(0x6a);
  }
  i32Sub(): this {
    return this.raw(0x6b);
  }
  i32Mul(): this {
    return this.raw(0x6c);
  }
  i32Shl(): this {
    return this.raw(0x74);
  }
  i32Eqz(): this {
    return this.raw(0x45);
  }
  i32GeS(): this {
    return this.raw(0x4e);
  }

  /** A SIMD instruction (§5.4.8): prefix 0xfd, then the opcode as unsigned LEB128. */
  simd(opcode: number, ...immediates: number[]): this {
    return this.raw(0xfd, ...uleb(opcode), ...immediates);
  }
  /** A memory immediate: alignment exponent and byte offset (§5.4.6). */
  static memarg(alignLog2: number, offset: number): number[] {
    return [...uleb(alignLog2), ...uleb(offset)];
  }
  v128Load(offset: number): this {
    return this.simd(0x00, ...CodeWriter.memarg(4, offset));
  }
  v128Store(offset: number): this {
    return this.simd(0x0b, ...CodeWriter.memarg(4, offset));
  }
  /** `v128.const` of all zero bits. */
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
}

/** One exported function of a module. */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Types of the locals after the parameters. */
  locals: number[];
  code: CodeWriter;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module with one memory of `memoryPages` 64 KiB pages (exported as `memory`) and the
 * given functions, each exported under its name (§5.5).
 */
export function encodeModule(
  functions: WasmFunction[],
  memoryPages: number,
): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  const bodies = functions.map((f) => {
    // Locals are run-length encoded: (count, type) pairs.
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [
      ...vector(groups.map(([count, t]) => [...uleb(count), t])),
      ...f.code.bytes,
      0x0b,
    ];
    return [...uleb(body.length), ...body];
  });
  const exports = [
    ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    [...name("memory"), 0x02, ...uleb(0)],
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, vector([[0x00, ...uleb(memoryPages)]])),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
