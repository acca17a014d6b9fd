/**
 * The shapes a secret value takes when a program prints it: as typed,
 * trimmed, line by line, JSON-escaped, URL-encoded and base64-encoded.
 */

/** Values with fewer characters than this are masked only as whole words. */
export const WHOLE_WORD_BELOW = 4;

export interface MaskForm {
  text: string;
  /** Masked only where it is not glued to letters or digits on either side. */
  wholeWord: boolean;
}

/** Characters as an operator counts them (code points, not UTF-16 units). */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A secret this short would rewrite every word it occurs in. */
export function isShortSecret(value: string): boolean {
  return characterCount(value) < WHOLE_WORD_BELOW;
}

/**
 * Every form of `value` worth masking, without repeats. Empty and
 * whitespace-only values have none: they would match everywhere.
 */
export function maskForms(value: string): MaskForm[] {
  if (value.trim() === '') return [];

  const texts = new Set<string>([value, value.trim()]);
  for (const line of value.split(/\r?\n/)) {
    if (line.trim() !== '') texts.add(line.trim());
  }
  texts.add(JSON.stringify(value).slice(1, -1));
  // A lone surrogate cannot be URL-encoded; output would carry U+FFFD.
  const wellFormed = value.toWellFormed();
  texts.add(encodeURIComponent(wellFormed));
  texts.add(new URLSearchParams({ v: wellFormed }).toString().slice(2));
  for (const encoded of base64Forms(Buffer.from(value, 'utf8'))) {
    texts.add(encoded);
  }

  const short = isShortSecret(value);
  return [...texts]
    .filter((text) => text.trim() !== '')
    .map((text) => ({ text, wholeWord: short || isShortSecret(text) }));
}

/**
 * The base64 text of `bytes` wherever they sit in a longer payload: at
 * byte offsets 0, 1 and 2, keeping only the characters that depend on
 * `bytes` alone, in the standard and the URL-safe alphabets.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const from = Math.ceil((offset * 4) / 3);
    const to = Math.floor(((offset + bytes.length) * 4) / 3);
    for (const alphabet of ['base64', 'base64url'] as const) {
      forms.push(shifted.toString(alphabet).slice(from, to));
    }
  }
  return forms;
}
