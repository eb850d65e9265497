import { describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

describe("tunekit CLI router", () => {
  it("prints the version", async () => {
    const run = await runCliCapture(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists commands with --help and exits 0", async () => {
    const run = await runCliCapture(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: tunekit");
  });

  it("exits 2 with a message on stderr for an unknown command", async () => {
    const run = await runCliCapture(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });

  it("exits 2 when called with nothing", async () => {
    const run = await runCliCapture([]);
    expect(run.code).toBe(2);
  });
});
