import { Environment, Interpreter, parse, tokenize } from "@huggingface/jinja";
import {
  compareCodePoints,
  pythonFloatRepr,
  pythonJsonString,
  pythonSplitWhitespace,
  pythonStringRepr,
  pythonStrip,
} from "./python-text";

// @huggingface/jinja renders chat templates well, but with JavaScript's value semantics in
// places where Jinja2 on CPython (what transformers uses) differs: `{{ none }}` prints
// "None" in Python and nothing in JavaScript, `True` vs `true`, list reprs, `.strip(chars)`,
// `tojson` separators and key order, `~` with non-strings, deep `==`. This subclass fixes
// those in the interpreter's evaluation hooks. The hooks are private in the library's
// typings, so they are reached through a structural view; the snippet tests against
// Jinja2 guard the behaviour on every upgrade of the library.

/** A runtime value of the library (`StringValue`, `ArrayValue`, …): a type tag and a JS value. */
interface RuntimeValue {
  type: string;
  value: unknown;
  builtins?: Map<string, RuntimeValue>;
  __bool__(): { value: boolean };
  toString(): string;
}

/** An AST node of the library: a type tag and node-specific fields. */
interface Node {
  type: string;
  [key: string]: unknown;
}

type Env = InstanceType<typeof Environment>;

/** The library's interpreter hooks this subclass overrides or calls. */
interface InterpreterHooks {
  evaluate(node: Node | undefined, env: Env): RuntimeValue;
  evaluateBlock(statements: Node[], env: Env): RuntimeValue;
  evaluateBinaryExpression(node: Node, env: Env): RuntimeValue;
  evaluateCallExpression(node: Node, env: Env): RuntimeValue;
  evaluateMemberExpression(node: Node, env: Env): RuntimeValue;
  evaluateArguments(args: Node[], env: Env): [RuntimeValue[], Map<string, RuntimeValue>];
  applyFilter(operand: RuntimeValue, filter: Node, env: Env): RuntimeValue;
}

const HookedInterpreter = Interpreter as unknown as new (env: Env) => InterpreterHooks;

// The library does not export its value classes; converting sample values recovers them.
const probe = new Environment();
type ValueClass = new (value: unknown) => RuntimeValue;
const classOf = (name: string, sample: unknown) =>
  (probe.set(name, sample) as unknown as RuntimeValue).constructor as ValueClass;
const StringValue = classOf("s", "");
const IntegerValue = classOf("i", 1);
const FloatValue = classOf("f", 1.5);
const BooleanValue = classOf("b", true);
const ArrayValue = classOf("a", []);
const UndefinedValue = classOf("u", undefined);
// Tuples only come from literals: evaluate one.
const TupleValue = new (Interpreter as unknown as new (env: Env) => InterpreterHooks)(
  probe,
).evaluate((parse(tokenize("{{ (1, 2) }}")).body as Node[])[0], probe).constructor as ValueClass;

const STATEMENTS = new Set([
  "Program",
  "Set",
  "If",
  "For",
  "Macro",
  "CallStatement",
  "FilterStatement",
  "Comment",
  "Break",
  "Continue",
]);

const isList = (v: RuntimeValue) => v.type === "ArrayValue" || v.type === "TupleValue";
const isMapping = (v: RuntimeValue) => v.type === "ObjectValue" || v.type === "NamespaceValue";
const isNumber = (v: RuntimeValue) => v.type === "IntegerValue" || v.type === "FloatValue";
const items = (v: RuntimeValue) => v.value as RuntimeValue[];
const entries = (v: RuntimeValue) => v.value as Map<string, RuntimeValue>;

/** Python's `str()` of a runtime value. */
export function pythonStr(v: RuntimeValue): string {
  switch (v.type) {
    case "StringValue":
      return v.value as string;
    case "UndefinedValue":
      return "";
    default:
      return pythonRepr(v);
  }
}

/** Python's `repr()` of a runtime value. */
export function pythonRepr(v: RuntimeValue): string {
  switch (v.type) {
    case "StringValue":
      return pythonStringRepr(v.value as string);
    case "NullValue":
      return "None";
    case "UndefinedValue":
      return "";
    case "BooleanValue":
      return v.value ? "True" : "False";
    case "IntegerValue":
      return String(v.value);
    case "FloatValue":
      return pythonFloatRepr(v.value as number);
    case "ArrayValue":
      return `[${items(v).map(pythonRepr).join(", ")}]`;
    case "TupleValue": {
      const inner = items(v).map(pythonRepr);
      return inner.length === 1 ? `(${inner[0]},)` : `(${inner.join(", ")})`;
    }
    case "ObjectValue":
    case "KeywordArgumentsValue":
      return `{${[...entries(v)].map(([k, x]) => `${pythonStringRepr(k)}: ${pythonRepr(x)}`).join(", ")}}`;
    case "NamespaceValue":
      return `<Namespace ${[...entries(v)].map(([k, x]) => `${k}=${pythonRepr(x)}`).join(", ")}>`;
    default:
      return v.toString();
  }
}

/** Python's `==` on runtime values: by value for lists and dicts, `1 == 1.0 == True`. */
export function pythonEquals(a: RuntimeValue, b: RuntimeValue): boolean {
  if ((isNumber(a) || a.type === "BooleanValue") && (isNumber(b) || b.type === "BooleanValue")) {
    return Number(a.value) === Number(b.value);
  }
  if (isList(a) && isList(b)) {
    const x = items(a);
    const y = items(b);
    return a.type === b.type && x.length === y.length && x.every((v, i) => pythonEquals(v, y[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const x = entries(a);
    const y = entries(b);
    if (x.size !== y.size) return false;
    for (const [k, v] of x) {
      const w = y.get(k);
      if (w === undefined || !pythonEquals(v, w)) return false;
    }
    return true;
  }
  return a.type === b.type && a.value === b.value;
}

interface JsonOptions {
  ensureAscii: boolean;
  indent: string | null;
  itemSeparator: string;
  keySeparator: string;
  sortKeys: boolean;
}

/** Python's `json.dumps` of a runtime value, as transformers' `tojson` filter calls it. */
function pythonJson(v: RuntimeValue, o: JsonOptions, depth: number): string {
  switch (v.type) {
    case "NullValue":
      return "null";
    case "BooleanValue":
      return v.value ? "true" : "false";
    case "IntegerValue":
      return String(v.value);
    case "FloatValue": {
      const x = v.value as number;
      if (Number.isNaN(x)) return "NaN";
      if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
      return pythonFloatRepr(x);
    }
    case "StringValue":
      return pythonJsonString(v.value as string, o.ensureAscii);
    case "ArrayValue":
    case "TupleValue":
    case "ObjectValue":
    case "NamespaceValue": {
      const list = isList(v);
      const parts: string[] = [];
      if (list) for (const x of items(v)) parts.push(pythonJson(x, o, depth + 1));
      else {
        let pairs = [...entries(v)];
        if (o.sortKeys) pairs = pairs.sort(([a], [b]) => compareCodePoints(a, b));
        for (const [k, x] of pairs) {
          parts.push(
            pythonJsonString(k, o.ensureAscii) + o.keySeparator + pythonJson(x, o, depth + 1),
          );
        }
      }
      const [open, close] = list ? ["[", "]"] : ["{", "}"];
      if (parts.length === 0) return open + close;
      if (o.indent === null) return open + parts.join(o.itemSeparator) + close;
      const inner = `\n${o.indent.repeat(depth + 1)}`;
      return `${open}${inner}${parts.join(o.itemSeparator + inner)}\n${o.indent.repeat(depth)}${close}`;
    }
    default:
      throw new TypeError(`Object of type ${v.type.replace("Value", "")} is not JSON serializable`);
  }
}

function toJson(
  v: RuntimeValue,
  positional: RuntimeValue[],
  kwargs: Map<string, RuntimeValue>,
): string {
  // tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
  const arg = (name: string, at: number) => kwargs.get(name) ?? positional[at];
  const ensureAscii = arg("ensure_ascii", 0);
  const indentArg = arg("indent", 1);
  const separators = arg("separators", 2);
  const sortKeys = arg("sort_keys", 3);
  let indent: string | null = null;
  if (indentArg && indentArg.type === "IntegerValue")
    indent = " ".repeat(indentArg.value as number);
  else if (indentArg && indentArg.type === "StringValue") indent = indentArg.value as string;
  let itemSeparator = indent === null ? ", " : ",";
  let keySeparator = ": ";
  if (separators && isList(separators)) {
    [itemSeparator, keySeparator] = items(separators).map((s) => String(s.value));
  }
  return pythonJson(
    v,
    {
      ensureAscii: Boolean(ensureAscii?.__bool__().value),
      indent,
      itemSeparator,
      keySeparator,
      sortKeys: Boolean(sortKeys?.__bool__().value),
    },
    0,
  );
}

const str = (s: string) => new StringValue(s);
const int = (n: number) => new IntegerValue(n);
const bool = (b: boolean) => new BooleanValue(b);
const list = (xs: RuntimeValue[]) => new ArrayValue(xs);

function textArg(v: RuntimeValue | undefined): string | undefined {
  if (v === undefined || v.type === "NullValue" || v.type === "UndefinedValue") return undefined;
  if (v.type !== "StringValue") throw new TypeError(`expected a string argument, got ${v.type}`);
  return v.value as string;
}

function intArg(v: RuntimeValue | undefined, fallback: number): number {
  if (v === undefined || v.type === "NullValue") return fallback;
  if (v.type !== "IntegerValue") throw new TypeError(`expected an integer argument, got ${v.type}`);
  return v.value as number;
}

// Python str.split(sep, maxsplit) with an explicit separator, from the left or the right.
function splitBy(text: string, sep: string, maxSplit: number, fromRight: boolean): string[] {
  if (sep === "") throw new Error("ValueError: empty separator");
  const parts = text.split(sep);
  if (maxSplit < 0 || parts.length - 1 <= maxSplit) return parts;
  return fromRight
    ? [parts.slice(0, parts.length - maxSplit).join(sep), ...parts.slice(parts.length - maxSplit)]
    : [...parts.slice(0, maxSplit), parts.slice(maxSplit).join(sep)];
}

/** Python `str` methods the library lacks or implements with JavaScript semantics. */
function stringMethod(
  text: string,
  name: string,
  args: RuntimeValue[],
  kwargs: Map<string, RuntimeValue>,
): RuntimeValue | undefined {
  const arg = (k: string, i: number) => kwargs.get(k) ?? args[i];
  switch (name) {
    case "strip":
      return str(pythonStrip(text, textArg(arg("chars", 0)), "both"));
    case "lstrip":
      return str(pythonStrip(text, textArg(arg("chars", 0)), "left"));
    case "rstrip":
      return str(pythonStrip(text, textArg(arg("chars", 0)), "right"));
    case "split":
    case "rsplit": {
      const sep = textArg(arg("sep", 0));
      const max = intArg(arg("maxsplit", 1), -1);
      const right = name === "rsplit";
      const parts =
        sep === undefined
          ? pythonSplitWhitespace(text, max, right)
          : splitBy(text, sep, max, right);
      return list(parts.map(str));
    }
    case "splitlines":
      return list(
        text
          .split(LINE_BREAKS)
          .filter((line, i, all) => i < all.length - 1 || line !== "")
          .map(str),
      );
    case "find":
    case "rfind":
    case "index":
    case "rindex": {
      const sub = textArg(args[0]) ?? "";
      const found = name.startsWith("r") ? text.lastIndexOf(sub) : text.indexOf(sub);
      if (found < 0 && name.endsWith("index")) throw new Error("ValueError: substring not found");
      return int(found < 0 ? -1 : Array.from(text.slice(0, found)).length);
    }
    case "count": {
      const sub = textArg(args[0]) ?? "";
      return int(sub === "" ? Array.from(text).length + 1 : text.split(sub).length - 1);
    }
    case "capitalize": {
      const [first = "", ...rest] = Array.from(text);
      return str(first.toUpperCase() + rest.join("").toLowerCase());
    }
    case "swapcase":
      return str(
        Array.from(text, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(
          "",
        ),
      );
    case "casefold":
      return str(text.toLowerCase());
    case "partition":
    case "rpartition": {
      const sep = textArg(args[0]) ?? "";
      const at = name === "partition" ? text.indexOf(sep) : text.lastIndexOf(sep);
      const parts =
        at < 0
          ? name === "partition"
            ? [text, "", ""]
            : ["", "", text]
          : [text.slice(0, at), sep, text.slice(at + sep.length)];
      return new TupleValue(parts.map(str));
    }
    case "removeprefix": {
      const prefix = textArg(args[0]) ?? "";
      return str(prefix && text.startsWith(prefix) ? text.slice(prefix.length) : text);
    }
    case "removesuffix": {
      const suffix = textArg(args[0]) ?? "";
      return str(suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text);
    }
    case "zfill": {
      const width = intArg(args[0], 0);
      const sign = /^[+-]/.test(text) ? text[0] : "";
      return str(sign + text.slice(sign.length).padStart(width - sign.length, "0"));
    }
    case "ljust":
    case "rjust":
    case "center": {
      const width = intArg(args[0], 0);
      const fill = textArg(args[1]) ?? " ";
      const n = Array.from(text).length;
      if (width <= n) return str(text);
      const total = width - n;
      if (name === "ljust") return str(text + fill.repeat(total));
      if (name === "rjust") return str(fill.repeat(total) + text);
      // CPython puts the odd extra character on the left when the width is odd.
      const left = Math.floor(total / 2) + (total & width & 1);
      return str(fill.repeat(left) + text + fill.repeat(total - left));
    }
    case "join": {
      const iterable = args[0];
      const parts =
        iterable?.type === "StringValue"
          ? Array.from(iterable.value as string)
          : items(iterable).map((x) => {
              if (x.type !== "StringValue")
                throw new TypeError(`sequence item: expected str instance, ${x.type} found`);
              return x.value as string;
            });
      return str(parts.join(text));
    }
    case "isalpha":
      return bool(/^\p{L}+$/u.test(text));
    case "isdigit":
    case "isdecimal":
      return bool(/^\p{Nd}+$/u.test(text));
    case "isnumeric":
      return bool(/^\p{N}+$/u.test(text));
    case "isalnum":
      return bool(/^[\p{L}\p{N}]+$/u.test(text));
    case "isspace":
      return bool(text.length > 0 && pythonStrip(text, undefined, "both") === "");
    case "isupper":
      return bool(/\p{Lu}/u.test(text) && text === text.toUpperCase());
    case "islower":
      return bool(/\p{Ll}/u.test(text) && text === text.toLowerCase());
    default:
      return undefined;
  }
}

// Jinja's round filter: Python's round() (halves to even) for "common", else floor/ceil;
// an int stays an int under "common", as round(int, n) does.
function pythonRound(value: RuntimeValue, precision: number, method: string): RuntimeValue {
  const x = value.value as number;
  if (method === "common" && value.type === "IntegerValue") return value;
  const scale = 10 ** precision;
  let rounded: number;
  if (method === "floor") rounded = Math.floor(x * scale) / scale;
  else if (method === "ceil") rounded = Math.ceil(x * scale) / scale;
  else {
    const scaled = x * scale;
    const nearest = Math.round(scaled);
    // An exact tie goes to the even neighbour; toFixed handles the inexact cases.
    rounded =
      Math.abs(scaled - Math.trunc(scaled)) === 0.5
        ? (2 * Math.round(scaled / 2)) / scale
        : precision >= 0 && precision <= 100
          ? Number(x.toFixed(precision))
          : nearest / scale;
  }
  return new FloatValue(rounded);
}

// str.splitlines() boundaries: \r\n, \n, \r, \v, \f, the file/group/record separators,
// NEL and the Unicode line and paragraph separators.
const LINE_BREAKS = new RegExp(
  `\r\n|[${["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"].join("")}]`,
  "u",
);

function filterName(node: Node): string | undefined {
  if (node.type === "Identifier") return node.value as string;
  if (node.type === "CallExpression") {
    const callee = node.callee as Node;
    return callee.type === "Identifier" ? (callee.value as string) : undefined;
  }
  return undefined;
}

/**
 * A Jinja interpreter with Python's value semantics where chat templates can see them.
 * Everything else is the library's own behaviour.
 */
export class PythonInterpreter extends HookedInterpreter {
  // Operands evaluated ahead of a library hook, handed back when the hook asks for them.
  private readonly pending = new Map<Node, RuntimeValue>();

  override evaluate(node: Node | undefined, env: Env): RuntimeValue {
    if (node !== undefined) {
      const value = this.pending.get(node);
      if (value !== undefined) {
        this.pending.delete(node);
        return value;
      }
    }
    return super.evaluate(node, env);
  }

  private withPending<T>(values: [Node, RuntimeValue][], run: () => T): T {
    for (const [node, value] of values) this.pending.set(node, value);
    try {
      return run();
    } finally {
      for (const [node] of values) this.pending.delete(node);
    }
  }

  override evaluateBlock(statements: Node[], env: Env): RuntimeValue {
    let out = "";
    for (const statement of statements) {
      const value = this.evaluate(statement, env);
      if (STATEMENTS.has(statement.type)) {
        if (value.type !== "NullValue" && value.type !== "UndefinedValue") out += value.toString();
      } else out += pythonStr(value);
    }
    return str(out);
  }

  override evaluateBinaryExpression(node: Node, env: Env): RuntimeValue {
    const op = (node.operator as { value: string }).value;
    if (op === "and" || op === "or") return super.evaluateBinaryExpression(node, env);
    const leftNode = node.left as Node;
    const rightNode = node.right as Node;
    const left = this.evaluate(leftNode, env);
    const right = this.evaluate(rightNode, env);
    const s = (v: RuntimeValue) => v.type === "StringValue";
    switch (op) {
      case "~":
        return str(pythonStr(left) + pythonStr(right));
      case "==":
        return bool(pythonEquals(left, right));
      case "!=":
        return bool(!pythonEquals(left, right));
      case "in":
      case "not in":
        if (isList(right)) {
          const member = items(right).some((x) => pythonEquals(left, x));
          return bool(op === "in" ? member : !member);
        }
        break;
      case "+":
        if (
          s(left) !== s(right) &&
          left.type !== "UndefinedValue" &&
          right.type !== "UndefinedValue"
        ) {
          const other = s(left) ? right : left;
          throw new TypeError(
            `can only concatenate str (not "${other.type.replace("Value", "").toLowerCase()}") to str`,
          );
        }
        break;
      case "*":
        if (s(left) && right.type === "IntegerValue")
          return str((left.value as string).repeat(Math.max(0, right.value as number)));
        if (s(right) && left.type === "IntegerValue")
          return str((right.value as string).repeat(Math.max(0, left.value as number)));
        break;
      case "%":
        if (left.type === "IntegerValue" && right.type === "IntegerValue") {
          const b = right.value as number;
          if (b === 0) throw new Error("ZeroDivisionError: integer modulo by zero");
          return int((((left.value as number) % b) + b) % b);
        }
        break;
      case "<":
      case ">":
      case "<=":
      case ">=":
        if (s(left) && s(right)) {
          const d = compareCodePoints(left.value as string, right.value as string);
          return bool(op === "<" ? d < 0 : op === ">" ? d > 0 : op === "<=" ? d <= 0 : d >= 0);
        }
        break;
    }
    return this.withPending(
      [
        [leftNode, left],
        [rightNode, right],
      ],
      () => super.evaluateBinaryExpression(node, env),
    );
  }

  override evaluateCallExpression(node: Node, env: Env): RuntimeValue {
    const callee = node.callee as Node;
    if (callee.type === "MemberExpression" && !callee.computed) {
      const property = callee.property as Node;
      const objectNode = callee.object as Node;
      const object = this.evaluate(objectNode, env);
      if (object.type === "StringValue" && property.type === "Identifier") {
        const [args, kwargs] = this.evaluateArguments(node.args as Node[], env);
        const result = stringMethod(object.value as string, property.value as string, args, kwargs);
        if (result !== undefined) return result;
      }
      return this.withPending([[objectNode, object]], () =>
        super.evaluateCallExpression(node, env),
      );
    }
    return super.evaluateCallExpression(node, env);
  }

  override evaluateMemberExpression(node: Node, env: Env): RuntimeValue {
    const objectNode = node.object as Node;
    const object = this.evaluate(objectNode, env);
    const property = node.property as Node;
    if (object.type === "StringValue" && node.computed && property.type !== "SliceExpression") {
      const key = this.evaluate(property, env);
      if (key.type === "IntegerValue") {
        // Python indexes str by code point; out of range is undefined in Jinja's sandbox.
        const chars = Array.from(object.value as string);
        const at = key.value as number;
        const char = chars[at < 0 ? chars.length + at : at];
        return char === undefined ? new UndefinedValue(undefined) : str(char);
      }
      return this.withPending(
        [
          [objectNode, object],
          [property, key],
        ],
        () => super.evaluateMemberExpression(node, env),
      );
    }
    return this.withPending([[objectNode, object]], () =>
      super.evaluateMemberExpression(node, env),
    );
  }

  override applyFilter(operand: RuntimeValue, filter: Node, env: Env): RuntimeValue {
    const name = filterName(filter);
    const [args, kwargs] =
      filter.type === "CallExpression"
        ? this.evaluateArguments(filter.args as Node[], env)
        : [[] as RuntimeValue[], new Map<string, RuntimeValue>()];
    const arg = (k: string, i: number) => kwargs.get(k) ?? args[i];
    switch (name) {
      case "tojson":
        return str(toJson(operand, args, kwargs));
      case "string":
        return str(pythonStr(operand));
      case "length":
      case "count":
        if (operand.type === "StringValue") return int(Array.from(operand.value as string).length);
        if (isList(operand)) return int(items(operand).length);
        if (isMapping(operand)) return int(entries(operand).size);
        break;
      case "trim":
        if (operand.type === "StringValue") {
          return str(pythonStrip(operand.value as string, textArg(arg("chars", 0)), "both"));
        }
        break;
      case "capitalize":
        if (operand.type === "StringValue")
          return stringMethod(operand.value as string, "capitalize", [], kwargs)!;
        break;
      case "first":
      case "last":
        if (operand.type === "StringValue") {
          const chars = Array.from(operand.value as string);
          const c = name === "first" ? chars[0] : chars.at(-1);
          return c === undefined ? new UndefinedValue(undefined) : str(c);
        }
        break;
      case "d":
      case "default": {
        const fallback = arg("default_value", 0) ?? str("");
        const boolean = arg("boolean", 1)?.__bool__().value ?? false;
        if (operand.type === "UndefinedValue" || (boolean && !operand.__bool__().value))
          return fallback;
        return operand;
      }
      case "join":
        if (isList(operand) || operand.type === "StringValue") {
          const separator = textArg(arg("d", 0)) ?? "";
          const attribute = textArg(arg("attribute", 1));
          const values =
            operand.type === "StringValue"
              ? Array.from(operand.value as string).map(str)
              : items(operand);
          return str(
            values
              .map((x) =>
                pythonStr(
                  attribute === undefined
                    ? x
                    : (entries(x)?.get(attribute) ?? new UndefinedValue(undefined)),
                ),
              )
              .join(separator),
          );
        }
        break;
      case "sum":
        if (isList(operand)) {
          const attribute = textArg(arg("attribute", 0));
          let total = arg("start", 1) ?? int(0);
          for (const x of items(operand)) {
            const v =
              attribute === undefined
                ? x
                : (entries(x).get(attribute) ?? new UndefinedValue(undefined));
            const isFloat = total.type === "FloatValue" || v.type === "FloatValue";
            const next = (total.value as number) + (v.value as number);
            total = isFloat ? new FloatValue(next) : int(next);
          }
          return total;
        }
        break;
      case "min":
      case "max":
        if (isList(operand) && items(operand).length > 0) {
          const key = (v: RuntimeValue) =>
            v.type === "StringValue" ? (v.value as string).toLowerCase() : v.value;
          return items(operand).reduce((best, x) => {
            const a = key(x);
            const b = key(best);
            const better =
              typeof a === "string" && typeof b === "string"
                ? compareCodePoints(a, b)
                : (a as number) - (b as number);
            return name === "min" ? (better < 0 ? x : best) : better > 0 ? x : best;
          });
        }
        break;
      case "round":
        if (isNumber(operand)) {
          const precision = intArg(arg("precision", 0), 0);
          const method = textArg(arg("method", 1)) ?? "common";
          return pythonRound(operand, precision, method);
        }
        break;
      case "map":
        // map('upper') applies a filter by name; map(attribute=…) is the library's.
        if (
          isList(operand) &&
          args[0]?.type === "StringValue" &&
          !kwargs.has("attribute") &&
          args.length === 1
        ) {
          const named: Node = { type: "Identifier", value: args[0].value };
          return list(items(operand).map((x) => this.applyFilter(x, named, env)));
        }
        break;
    }
    return super.applyFilter(operand, filter, env);
  }
}
