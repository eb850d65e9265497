/**
 * Python's `str` whitespace rules, which the reference metrics rely on (`str.split()`,
 * `str.strip()`, `str.rstrip()`). They differ from JavaScript's `\s` and `trim()`: Python
 * counts U+001C–U+001F and U+0085 as whitespace and U+FEFF as not, so parity needs its own
 * definition. Every Python whitespace character is in the BMP, so a UTF-16 unit test is exact.
 */

/**
 * Whether a UTF-16 code unit is whitespace for Python's `str.isspace()` (3.11).
 *
 * @param code - a UTF-16 code unit.
 * @returns true for Python whitespace.
 */
export function isPythonWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code >= 0x1c;
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * `text.split()` in Python: the runs of non-whitespace, no empty strings.
 *
 * @param text - any string.
 * @returns the words, in order.
 */
export function pythonSplit(text: string): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isPythonWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isPythonWhitespace(text.charCodeAt(i))) i++;
    words.push(text.slice(start, i));
  }
  return words;
}

/**
 * `text.rstrip()` in Python: drops trailing whitespace.
 *
 * @param text - any string.
 * @returns the string without trailing Python whitespace.
 */
export function pythonRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonWhitespace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * `text.strip()` in Python: drops leading and trailing whitespace.
 *
 * @param text - any string.
 * @returns the string without leading or trailing Python whitespace.
 */
export function pythonStrip(text: string): string {
  let start = 0;
  while (start < text.length && isPythonWhitespace(text.charCodeAt(start))) start++;
  return pythonRstrip(text.slice(start));
}

/**
 * `" ".join(text.split())` in Python: whitespace runs become one space, ends trimmed.
 *
 * @param text - any string.
 * @returns the normalised string.
 */
export function pythonCollapseWhitespace(text: string): string {
  return pythonSplit(text).join(" ");
}
