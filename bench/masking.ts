import { randomBytes } from 'node:crypto';
import { maskForms } from '../src-main/masking/mask-forms.js';
import { Masker } from '../src-main/masking/masker.js';
import { MASK_TOKEN } from '../src-main/masking/stream-masker.js';
import { type Measurement, measure } from './measure.js';

const STREAM_BYTES = 200 * 1024 * 1024;
// The sequential baseline is slow; its rate is measured on a slice.
const BASELINE_BYTES = 8 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const SECRET_COUNT = 100;

/**
 * Secrets like the ones operators keep: tokens and multi-line keys with
 * characters that make every encoded form differ, about 20 forms each.
 */
function makeSecrets(): string[] {
  return Array.from({ length: SECRET_COUNT }, (_, i) => {
    const lines = Array.from({ length: 9 }, () =>
      randomBytes(16).toString('base64'),
    );
    return `key-${i}: "${lines.join('\n')}" /é+`;
  });
}

/** Log lines with a colour code now and then and a secret every ~100 KB. */
function makeLog(secrets: string[]): Buffer {
  const words = ['GET', '/api/v1/items', 'took', '12ms', 'user=42', 'ok'];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 4 * 1024 * 1024; i++) {
    const level = i % 10 === 0 ? '\x1b[33mWARN\x1b[0m' : 'INFO';
    let line = `2026-12-04T01:02:03Z ${level} ${words.join(' ')} #${i}`;
    if (i % 1500 === 0) line += ` token=${secrets[i % secrets.length]}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** Feeds `total` bytes of `block`, in chunks, to `consume`. */
function feed(block: Buffer, total: number, consume: (c: Buffer) => void) {
  for (let done = 0; done < total;) {
    for (let at = 0; at < block.length && done < total; at += CHUNK_BYTES) {
      const chunk = block.subarray(
        at,
        Math.min(at + CHUNK_BYTES, block.length),
      );
      consume(chunk);
      done += chunk.length;
    }
  }
}

function sequentialReplaceAll(needles: string[]) {
  return (chunk: Buffer) => {
    let text = chunk.toString('utf8');
    for (const needle of needles) text = text.replaceAll(needle, MASK_TOKEN);
    return text;
  };
}

export function benchMasking(): Measurement[] {
  const secrets = makeSecrets();
  const masker = new Masker(secrets);
  const needles = [
    ...new Set(secrets.flatMap((s) => maskForms(s).map((f) => f.text))),
  ];
  const log = makeLog(secrets);
  const label = `${SECRET_COUNT} secrets, ${masker.needleCount} needles`;

  const copy = measure('pass-through copy', STREAM_BYTES, () =>
    feed(log, STREAM_BYTES, (chunk) => void Buffer.from(chunk)),
  );
  const streamed = measure(`streaming masker (${label})`, STREAM_BYTES, () => {
    const state = masker.streamMasker();
    feed(log, STREAM_BYTES, (chunk) => void state.write(chunk));
    state.end();
  });
  const replace = sequentialReplaceAll(needles);
  const baseline = measure(
    `sequential replaceAll (${needles.length} needles)`,
    BASELINE_BYTES,
    () => feed(log, BASELINE_BYTES, (chunk) => void replace(chunk)),
  );
  return [copy, streamed, baseline];
}
