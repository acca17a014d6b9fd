/**
 * The encodings a leaked secret could hide in on disk or in output: raw,
 * hex, URL-encoded, UTF-16, and base64 (standard and url-safe) at each of
 * the three byte alignments it can start at inside a longer payload.
 */
export function secretForms(secret: string): Map<string, Buffer> {
  const raw = Buffer.from(secret, 'utf8');
  const forms = new Map<string, Buffer>([
    ['raw', raw],
    ['hex', Buffer.from(raw.toString('hex'))],
    ['HEX', Buffer.from(raw.toString('hex').toUpperCase())],
    ['url', Buffer.from(encodeURIComponent(secret))],
    ['utf16le', Buffer.from(secret, 'utf16le')],
  ]);
  for (const offset of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(offset), raw]);
    // Drop the characters that depend on the unknown neighbours.
    const skip = Math.ceil((offset * 4) / 3);
    const keep = Math.floor(((offset + raw.length) * 4) / 3);
    for (const kind of ['base64', 'base64url'] as const) {
      const text = shifted.toString(kind).slice(skip, keep);
      forms.set(`${kind}@${offset}`, Buffer.from(text));
    }
  }
  return forms;
}

/** The names of the forms of `secret` that occur in `haystack`. */
export function leakedForms(haystack: Buffer, secret: string): string[] {
  return [...secretForms(secret)]
    .filter(([, needle]) => haystack.includes(needle))
    .map(([name]) => name);
}
