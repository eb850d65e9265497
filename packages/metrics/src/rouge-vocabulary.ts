import { stemRougeToken, tokenString } from "./tokenizers/rouge";

/**
 * The integer ids a ROUGE scorer gives its tokens. Equal tokens (after stemming) get equal
 * ids, so n-grams and LCS compare integers instead of strings.
 *
 * Tokens of the default tokenizer arrive as character codes (see `scanRougeTokens`); their
 * surface forms live in an open-addressing hash table keyed by the scan's hash and checked
 * character by character, so a form seen before costs no string, no stemming and no Map
 * lookup. A new form is turned into a string, stemmed once, and mapped to the id of its
 * stem.
 *
 * @internal
 */
export interface RougeVocabulary {
  /** Number of distinct ids handed out; every id is below it. */
  readonly size: number;
  /** The id of a token given as a string (tokenizer functions, the unicode tokenizer). */
  idOf(token: string): number;
  /** The id of a default-tokenizer token given as characters and hash. */
  idOfChars(chars: Uint16Array, length: number, hash: number): number;
}

/**
 * Creates an empty vocabulary.
 *
 * @param stemmer - stem default-tokenizer tokens longer than three characters.
 * @internal
 */
export function createRougeVocabulary(stemmer: boolean): RougeVocabulary {
  const ids = new Map<string, number>();
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = ids.size;
      ids.set(token, id);
    }
    return id;
  };

  // Surface forms: slot → form index + 1 (0 = empty); per form its hash, characters
  // (in `pool`), and id.
  let slots: Int32Array = new Int32Array(1024);
  let formHash: Int32Array = new Int32Array(512);
  let formStart: Int32Array = new Int32Array(512);
  let formLength: Int32Array = new Int32Array(512);
  let formId: Int32Array = new Int32Array(512);
  let pool: Uint16Array = new Uint16Array(4096);
  let forms = 0;
  let poolUsed = 0;

  const sameChars = (form: number, chars: Uint16Array, length: number): boolean => {
    if (formLength[form] !== length) return false;
    const start = formStart[form];
    for (let k = 0; k < length; k++) if (pool[start + k] !== chars[k]) return false;
    return true;
  };

  const rehash = (capacity: number): void => {
    slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let form = 0; form < forms; form++) {
      let slot = formHash[form] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = form + 1;
    }
  };

  const grownInt = (array: Int32Array): Int32Array => {
    const bigger = new Int32Array(array.length * 2);
    bigger.set(array);
    return bigger;
  };

  const addForm = (slot: number, chars: Uint16Array, length: number, hash: number): number => {
    if (forms === formHash.length) {
      formHash = grownInt(formHash);
      formStart = grownInt(formStart);
      formLength = grownInt(formLength);
      formId = grownInt(formId);
    }
    if (poolUsed + length > pool.length) {
      const bigger = new Uint16Array(Math.max(pool.length * 2, poolUsed + length));
      bigger.set(pool);
      pool = bigger;
    }
    pool.set(chars.subarray(0, length), poolUsed);
    const token = tokenString(chars, length);
    const id = idOf(stemmer ? stemRougeToken(token) : token);
    formHash[forms] = hash;
    formStart[forms] = poolUsed;
    formLength[forms] = length;
    formId[forms] = id;
    poolUsed += length;
    slots[slot] = ++forms;
    if (forms * 2 > slots.length) rehash(slots.length * 2);
    return id;
  };

  const idOfChars = (chars: Uint16Array, length: number, hash: number): number => {
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) return addForm(slot, chars, length, hash);
      const form = entry - 1;
      if (formHash[form] === hash && sameChars(form, chars, length)) return formId[form];
      slot = (slot + 1) & mask;
    }
  };

  return {
    get size() {
      return ids.size;
    },
    idOf,
    idOfChars,
  };
}
