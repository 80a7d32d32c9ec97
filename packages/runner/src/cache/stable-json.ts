/**
 * JSON with object keys sorted at every level, so equal values always give equal text (used to fingerprint
 * rule options, whose key order depends on how the configuration was written). Iterative: options may nest
 * deeply and must not overflow the stack.
 */
export function stableStringify(value: unknown): string {
  const out: string[] = [];
  // A work stack of values to print and literal text to emit between them.
  const stack: Array<{ value: unknown } | { text: string }> = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const current = toJsonValue(item.value);
    if (current === null || typeof current !== 'object') {
      out.push(current === undefined ? 'null' : JSON.stringify(current));
      continue;
    }
    const parts: Array<{ value: unknown } | { text: string }> = [];
    if (Array.isArray(current)) {
      parts.push({ text: '[' });
      current.forEach((element, index) => {
        if (index > 0) parts.push({ text: ',' });
        parts.push({ value: element });
      });
      parts.push({ text: ']' });
    } else {
      const record = current as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined && typeof record[key] !== 'function')
        .sort();
      parts.push({ text: '{' });
      keys.forEach((key, index) => {
        parts.push({ text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` });
        parts.push({ value: record[key] });
      });
      parts.push({ text: '}' });
    }
    for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]!);
  }
  return out.join('');
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof RegExp) return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}
