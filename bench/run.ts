import { benchEndToEnd } from './end-to-end.js';
import { benchMasking } from './masking.js';
import { type Measurement, megabytesPerSecond } from './measure.js';

/**
 * `npm run bench`: the masker against a plain copy and a sequential
 * replaceAll masker, and whole `dagdesk` commands against their
 * baselines, all measured in this run on this machine.
 */
function reportMasking(rows: Measurement[], baseline: Measurement) {
  console.log('\nMasking a 64 KiB-chunked log stream');
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

function ratio(name: string, value: number, target: number) {
  const verdict = value <= target ? 'within' : 'over';
  console.log(
    `  ${name.padEnd(52)} ${value.toFixed(2).padStart(9)}    (target <= ${target}: ${verdict})`,
  );
}

const [copy, streamed, baseline] = benchMasking();
reportMasking([copy!, streamed!, baseline!], baseline!);
const speedup = (
  megabytesPerSecond(streamed!) / megabytesPerSecond(baseline!)
).toFixed(1);
console.log(
  `  masker speed / sequential replaceAll: ${speedup}x (target >= 10)`,
);

console.log('\nWhole commands, run in turn 5 times (medians)');
for (const c of benchEndToEnd()) {
  console.log(`  ${c.name.padEnd(52)} ${c.seconds.toFixed(3).padStart(9)} s`);
  console.log(
    `  ${c.baseline.padEnd(52)} ${c.baselineSeconds.toFixed(3).padStart(9)} s`,
  );
  ratio('  ratio, pair by pair', c.ratio, 1.5);
}
