import { Transform } from 'node:stream';
import { type MaskForm, isShortSecret, maskForms } from './mask-forms.js';
import { Matcher } from './matcher.js';
import { StreamMasker } from './stream-masker.js';

/** What registering a secret did, so the caller can warn about it. */
export interface Registration {
  /** False for empty and whitespace-only values: there is nothing to mask. */
  registered: boolean;
  /** Under 4 characters: masked only where it stands as a whole word. */
  wholeWordOnly: boolean;
}

/**
 * The one masker of a run: it knows every secret value the run resolved
 * and masks them in every sink, from step logs to the run's status.
 */
export class Masker {
  readonly #forms = new Map<string, MaskForm>();
  #matcher: Matcher | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): Registration {
    const forms = maskForms(secret);
    for (const form of forms) {
      const known = this.#forms.get(form.text);
      if (!known || (known.wholeWord && !form.wholeWord)) {
        this.#forms.set(form.text, form);
        this.#matcher = undefined;
      }
    }
    return {
      registered: forms.length > 0,
      wholeWordOnly: forms.length > 0 && isShortSecret(secret),
    };
  }

  /** How many distinct texts are masked (each secret has several forms). */
  get needleCount(): number {
    return this.#forms.size;
  }

  matcher(): Matcher {
    this.#matcher ??= new Matcher([...this.#forms.values()]);
    return this.#matcher;
  }

  maskBytes(bytes: Uint8Array): Buffer {
    const stream = this.streamMasker();
    return Buffer.concat([...stream.write(bytes), ...stream.end()]);
  }

  maskText(text: string): string {
    if (this.#forms.size === 0) return text;
    return this.maskBytes(Buffer.from(text, 'utf8')).toString('utf8');
  }

  /** A copy of a JSON-like value with every string in it masked, keys too. */
  maskValue<T>(value: T): T {
    return this.maskAny(value) as T;
  }

  /** A stream state for one byte stream, such as a step's stdout. */
  streamMasker(): StreamMasker {
    return new StreamMasker(() => this.matcher());
  }

  /** A Node transform stream that masks what passes through it. */
  transform(): Transform {
    const stream = this.streamMasker();
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (const piece of stream.write(chunk)) this.push(piece);
        done();
      },
      flush(done) {
        for (const piece of stream.end()) this.push(piece);
        done();
      },
    });
  }

  private maskAny(value: unknown): unknown {
    if (typeof value === 'string') return this.maskText(value);
    if (Array.isArray(value)) return value.map((item) => this.maskAny(item));
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Date) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        this.maskText(key),
        this.maskAny(item),
      ]),
    );
  }
}
