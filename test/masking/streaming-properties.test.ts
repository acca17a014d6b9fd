import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskForms } from '../../src-main/masking/mask-forms.js';
import { Masker } from '../../src-main/masking/masker.js';

// Secrets never hold '*' (the token could then spell one) nor ESC.
const secretChar = fc.constantFrom(
  ...Array.from('abcdefghijklmnopqrstuvwxyzABCDEZ0123456789 _-+/="\\\n\tü€😀'),
);
const secret = fc
  .array(secretChar, { minLength: 4, maxLength: 24 })
  .map((chars) => chars.join(''))
  .filter((s) => s.trim().length >= 4);
const filler = fc.string({ maxLength: 40 });
const colour = fc.constantFrom('', '\x1b[31m', '\x1b[0m', '\x1b[1;32m');

/** Text with some of the secrets woven in, colour codes around them. */
const textWith = (secrets: string[]) =>
  fc
    .array(fc.tuple(filler, colour, fc.nat({ max: secrets.length }), colour), {
      maxLength: 8,
    })
    .map((parts) =>
      parts.map(([f, c1, i, c2]) => f + c1 + (secrets[i] ?? '') + c2).join(''),
    );

/** The bytes cut at up to 12 random places. */
function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  return pieces;
}

function streamed(masker: Masker, pieces: Buffer[]): Buffer {
  const state = masker.streamMasker();
  return Buffer.concat([
    ...pieces.flatMap((p) => state.write(p)),
    ...state.end(),
  ]);
}

// Colour codes are dropped before searching: one may split a secret.
const ESC_COLOUR = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

const cuts = fc.array(fc.nat(), { maxLength: 12 });

/** Up to `most` secrets, text holding them, and places to cut it. */
const secretsInText = (most: number) =>
  fc
    .array(secret, { minLength: 1, maxLength: most })
    .chain((secrets) =>
      fc.tuple(fc.constant(secrets), textWith(secrets), cuts),
    );

describe('the streaming masker, for any secrets, text and cuts', () => {
  it('streams exactly what masking in one go gives', () => {
    const scenario = secretsInText(5);
    fc.assert(
      fc.property(scenario, ([secrets, text, at]) => {
        const masker = new Masker(secrets);
        const bytes = Buffer.from(text);
        const whole = masker.maskBytes(bytes);
        expect(streamed(masker, cutAt(bytes, at))).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves no secret in the output', () => {
    const scenario = secretsInText(5);
    fc.assert(
      fc.property(scenario, ([secrets, text, at]) => {
        const masker = new Masker(secrets);
        const visible = streamed(masker, cutAt(Buffer.from(text), at))
          .toString()
          .replaceAll(ESC_COLOUR, '');
        for (const s of secrets) expect(visible).not.toContain(s);
      }),
      { numRuns: 400 },
    );
  });

  it('passes text holding no secret through byte for byte', () => {
    const scenario = fc.tuple(
      fc.array(secret, { minLength: 1, maxLength: 5 }),
      fc.uint8Array({ maxLength: 400 }),
      cuts,
    );
    fc.assert(
      fc.property(scenario, ([secrets, raw, at]) => {
        const bytes = Buffer.from(raw);
        const forms = secrets.flatMap((s) => maskForms(s));
        fc.pre(forms.every((f) => !bytes.includes(Buffer.from(f.text))));
        const masker = new Masker(secrets);
        expect(streamed(masker, cutAt(bytes, at))).toEqual(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('emits whole UTF-8 characters from every write', () => {
    const scenario = secretsInText(3);
    fc.assert(
      fc.property(scenario, ([secrets, text, at]) => {
        const state = new Masker(secrets).streamMasker();
        for (const piece of cutAt(Buffer.from(text), at)) {
          const out = Buffer.concat(state.write(piece));
          expect(Buffer.from(out.toString('utf8'))).toEqual(out);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the secrets were added in', () => {
    const scenario = fc
      .array(secret, { minLength: 2, maxLength: 5 })
      .chain((secrets) =>
        fc.tuple(fc.constant(secrets), textWith(secrets), fc.nat()),
      );
    fc.assert(
      fc.property(scenario, ([secrets, text, seed]) => {
        const shuffled = [...secrets].sort(
          (a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 17 + seed) % 7),
        );
        expect(new Masker(shuffled).maskText(text)).toBe(
          new Masker(secrets).maskText(text),
        );
      }),
      { numRuns: 300 },
    );
  });
});
