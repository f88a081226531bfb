/**
 * Python's `repr()` of strings and string lists: Heat renders some reasons with `str(list_of_str)`
 * (an aggregated CHECK failure reads `Resource CHECK failed: ['Error: resources.a: …']`).
 */

/** `repr(text)` as Python 3 prints it. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** `str(list_of_strings)` as Python 3 prints it. */
export function pythonListRepr(items: readonly string[]): string {
  return `[${items.map(pythonStringRepr).join(', ')}]`;
}
