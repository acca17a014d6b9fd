import { benchMasking } from './masking.js';
import { type Measurement, megabytesPerSecond } from './measure.js';

/**
 * `npm run bench`: throughput of the masker against a plain copy and a
 * sequential replaceAll masker, all measured in this run on this machine.
 */
function report(title: string, rows: Measurement[], baseline: Measurement) {
  console.log(`\n${title}`);
  const base = megabytesPerSecond(baseline);
  for (const row of rows) {
    const rate = megabytesPerSecond(row);
    const mb = (row.bytes / (1024 * 1024)).toFixed(0);
    console.log(
      `  ${row.name.padEnd(52)} ${rate.toFixed(1).padStart(9)} MB/s` +
        `  (${mb} MB)  ${(rate / base).toFixed(1).padStart(7)}x baseline`,
    );
  }
}

const [copy, streamed, baseline] = benchMasking();
report(
  'Masking a 64 KiB-chunked log stream',
  [copy!, streamed!, baseline!],
  baseline!,
);
console.log(
  `  masker / copy: ${(megabytesPerSecond(streamed!) / megabytesPerSecond(copy!)).toFixed(2)} of copy speed`,
);
