import { describe, expect, it } from "vitest";
import { caseFold, unicodeTokenize } from "./unicode";

describe("caseFold", () => {
  it("folds fully: sharp s, final sigma, Cherokee, dotless i", () => {
    // Values from Unicode's CaseFolding.txt (statuses C and F).
    expect(caseFold("Straße")).toBe("strasse");
    expect(caseFold("ẞ")).toBe("ss");
    expect(caseFold("ΣΊΣΥΦΟΣ")).toBe("σίσυφοσ");
    expect(caseFold("ὀδυσσεύς")).toBe("ὀδυσσεύσ");
    expect(caseFold("ꭰ")).toBe("Ꭰ"); // Cherokee small letter folds to the capital
    expect(caseFold("Ꭰ")).toBe("Ꭰ");
    expect(caseFold("ᏸ")).toBe("Ᏸ");
    expect(caseFold("ı")).toBe("ı");
    expect(caseFold("İ")).toBe("i\u0307");
    expect(caseFold("ŉ")).toBe("ʼn");
    expect(caseFold("ABC def 𐐀")).toBe("abc def 𐐨"); // Deseret, outside the BMP
  });
});

describe("unicodeTokenize", () => {
  it("keeps words in scripts the default tokenizer deletes", () => {
    expect(unicodeTokenize("Привет, мир!")).toEqual(["привет", "мир"]);
    expect(unicodeTokenize("नमस्ते दुनिया")).toEqual(["नमस्ते", "दुनिया"]);
    expect(unicodeTokenize("我喜欢猫", { locale: "zh" }).join("")).toBe("我喜欢猫");
    expect(unicodeTokenize("我喜欢猫", { locale: "zh" }).length).toBeGreaterThan(1);
  });

  it("normalises with NFKC and folds case", () => {
    expect(unicodeTokenize("Straße, ＡＢＣ!")).toEqual(["strasse", "abc"]);
    expect(unicodeTokenize("ﬁne Cafe\u0301")).toEqual(["fine", "café"]);
  });

  it("drops punctuation and spaces and can stem", () => {
    expect(unicodeTokenize(" -- ... ")).toEqual([]);
    expect(unicodeTokenize("Running dogs", { stemmer: true })).toEqual(["run", "dog"]);
  });
});
