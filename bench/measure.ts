/** One benchmark case: how long it took for how many bytes. */
export interface Measurement {
  name: string;
  bytes: number;
  seconds: number;
}

const RUNS = 3;

/** The median of a few runs of `run`, after one warm-up. */
export function measure(
  name: string,
  bytes: number,
  run: () => void,
): Measurement {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { name, bytes, seconds: times[Math.floor(RUNS / 2)]! };
}

export function megabytesPerSecond(m: Measurement): number {
  return m.bytes / (1024 * 1024) / m.seconds;
}
