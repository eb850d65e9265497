import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Matrix, readSafetensors, type SafetensorsFile } from "@tunekit/tensor";

/** Absolute path of a file under test/fixtures. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`./fixtures/${relative}`, import.meta.url));
}

/** Bytes of a file under test/fixtures. */
export function fixtureBytes(relative: string): Uint8Array {
  const buffer = readFileSync(fixturePath(relative));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Text of a file under test/fixtures. */
export function fixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), "utf8");
}

/** A safetensors file under test/fixtures. */
export function fixtureSafetensors(relative: string): SafetensorsFile {
  return readSafetensors(fixtureBytes(relative), { source: relative });
}

/** Splits a row-major tensor's data into its rows (first dimension). */
export function rowsOf<T extends ArrayLike<number | bigint>>(
  data: T & { subarray(start: number, end: number): T },
  shape: number[],
): T[] {
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) => data.subarray(i * width, (i + 1) * width));
}

export const PEFT = "peft/llama-prompt-tuning-random";

/** The frozen model's input embeddings of the PEFT fixture. */
export function peftEmbeddings(): Matrix<Float32Array> {
  return fixtureSafetensors(`${PEFT}/base.safetensors`).matrix("model.embed_tokens.weight");
}
