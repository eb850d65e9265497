import { TunekitError } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { findEmbeddingKey } from "./embedding-key";

const t = (name: string, shape: number[] = [100, 8]) => ({ name, shape });

describe("findEmbeddingKey", () => {
  it("finds the common names of the input embedding matrix", () => {
    expect(findEmbeddingKey([t("lm_head.weight"), t("model.embed_tokens.weight")])).toBe(
      "model.embed_tokens.weight",
    );
    expect(findEmbeddingKey([t("transformer.wpe.weight"), t("transformer.wte.weight")])).toBe(
      "transformer.wte.weight",
    );
    expect(
      findEmbeddingKey([
        t("encoder.embed_tokens.weight"),
        t("decoder.embed_tokens.weight"),
        t("shared.weight"),
      ]),
    ).toBe("shared.weight");
    expect(findEmbeddingKey([t("transformer.word_embeddings.weight")])).toBe(
      "transformer.word_embeddings.weight",
    );
    expect(findEmbeddingKey([t("gpt_neox.embed_in.weight")])).toBe("gpt_neox.embed_in.weight");
    // Not a known full name: the shortest name with a known ending wins.
    expect(
      findEmbeddingKey([
        t("model.text.decoder.embed_tokens.weight"),
        t("text.embed_tokens.weight"),
      ]),
    ).toBe("text.embed_tokens.weight");
  });

  it("only accepts 2-D tensors", () => {
    expect(() => findEmbeddingKey([t("model.embed_tokens.weight", [8])])).toThrow(
      /no input embedding matrix/,
    );
  });

  it("uses an explicit key and checks it exists", () => {
    expect(findEmbeddingKey([t("a.weight"), t("b.weight")], { key: "b.weight" })).toBe("b.weight");
    expect(() =>
      findEmbeddingKey([t("a.weight")], { key: "c.weight", source: "m.safetensors" }),
    ).toThrow(/m\.safetensors has no 2-D tensor "c\.weight"; it holds: a\.weight \[100, 8\]/);
  });

  it("lists every tensor when nothing qualifies", () => {
    try {
      findEmbeddingKey([t("foo.weight", [3, 4]), t("bar.bias", [4])], { source: "x.safetensors" });
      expect.unreachable();
    } catch (error) {
      expect(TunekitError.isInstance(error) && error.code).toBe("embedding_not_found");
      expect((error as Error).message).toContain("foo.weight [3, 4], bar.bias [4]");
      expect((error as Error).message).toContain("--embedding-key");
    }
  });
});
