import { Transform } from 'node:stream';

const MAX_BATCH_BYTES = 64 * 1024;
const MAX_DELAY_MS = 5;

/**
 * Joins small chunks into writes of up to 64 KiB, holding none longer
 * than a few milliseconds. A step that prints in 4 KiB pieces would
 * otherwise cost one write per piece to each of its log file and echo.
 */
export function writeBatcher(): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;

  const release = (stream: Transform) => {
    clearTimeout(timer);
    timer = undefined;
    if (size === 0) return;
    const batch =
      pending.length === 1 ? pending[0]! : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    stream.push(batch);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= MAX_BATCH_BYTES) release(this);
      else timer ??= setTimeout(() => release(this), MAX_DELAY_MS);
      done();
    },
    flush(done) {
      release(this);
      done();
    },
  });
}
