import { readFileSync } from "node:fs";

/** Reads a JSON file from `test/fixtures/` (see the README there for where each came from). */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Reads a text file from `test/fixtures/`. */
export function readFixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}
