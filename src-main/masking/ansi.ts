/**
 * Terminal escape sequences, so that a secret split or wrapped by colour
 * codes is still found: matching runs on the visible bytes only, and the
 * escapes are put back around the mask.
 *
 * Only control sequences (CSI, like `ESC [31m`) and two-byte escapes are
 * taken out. The text of an OSC sequence (a hyperlink, a window title) is
 * visible to matching, since a secret can hide there too.
 */

const ESC = 0x1b;
const CSI_OPENER = 0x5b; // '['
// Longer than this is not a colour code; its bytes count as text.
const MAX_ESCAPE = 64;

const NOT_ESCAPE = 0;
const INCOMPLETE = -1;

/** The visible bytes of a raw buffer, and where each came from. */
export class Projection {
  /**
   * Runs of visible bytes as pairs (visible start, raw start); the raw
   * bytes between two runs are escapes. Empty when there are none.
   */
  private readonly runs: number[];

  constructor(
    readonly visible: Uint8Array,
    runs: number[],
    /** Raw bytes from here on are an unfinished escape, held for more. */
    readonly rawEnd: number,
  ) {
    this.runs = runs;
  }

  /** The raw offset of visible byte `v`. */
  rawOffset(v: number): number {
    const runs = this.runs;
    if (runs.length === 0) return v;
    let low = 0;
    let high = runs.length / 2 - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (runs[mid * 2]! <= v) low = mid;
      else high = mid - 1;
    }
    return runs[low * 2 + 1]! + (v - runs[low * 2]!);
  }

  /** Raw [start, end) spans of the escapes between visible `first` and `last`. */
  escapesWithin(first: number, last: number): [number, number][] {
    const spans: [number, number][] = [];
    const runs = this.runs;
    for (let r = 2; r < runs.length; r += 2) {
      const start = runs[r]!;
      if (start <= first) continue;
      if (start > last) break;
      spans.push([this.rawOffset(start - 1) + 1, runs[r + 1]!]);
    }
    return spans;
  }
}

/**
 * Projects `raw` to its visible bytes, written into `scratch` when there
 * are escapes to take out (it must be at least as long as `raw`).
 */
export function project(
  raw: Uint8Array,
  final: boolean,
  scratch: () => Uint8Array,
): Projection {
  let next = raw.indexOf(ESC);
  if (next === -1) return new Projection(raw, [], raw.length);

  const visible = scratch();
  const runs: number[] = [];
  let count = 0;
  let from = 0;
  while (next !== -1) {
    const length = escapeLength(raw, next);
    if (length === INCOMPLETE && !final) {
      count = copyRun(raw, from, next, visible, count, runs);
      return new Projection(visible.subarray(0, count), runs, next);
    }
    if (length > 0) {
      count = copyRun(raw, from, next, visible, count, runs);
      from = next + length;
    }
    next = raw.indexOf(ESC, length > 0 ? from : next + 1);
  }
  count = copyRun(raw, from, raw.length, visible, count, runs);
  return new Projection(visible.subarray(0, count), runs, raw.length);
}

function copyRun(
  raw: Uint8Array,
  from: number,
  to: number,
  visible: Uint8Array,
  count: number,
  runs: number[],
): number {
  if (to <= from) return count;
  runs.push(count, from);
  visible.set(raw.subarray(from, to), count);
  return count + (to - from);
}

/** Bytes of the escape sequence at `start`, or NOT_ESCAPE, or INCOMPLETE. */
function escapeLength(raw: Uint8Array, start: number): number {
  const next = raw[start + 1];
  if (next === undefined) return INCOMPLETE;
  if (next === CSI_OPENER) return sequenceLength(raw, start + 2, start, CSI);
  if (next >= 0x20 && next <= 0x2f) {
    return sequenceLength(raw, start + 1, start, CHARSET);
  }
  if (next >= 0x30 && next <= 0x7e) return 2;
  return NOT_ESCAPE;
}

/** The byte ranges of a sequence's middle bytes and of its final byte. */
interface Grammar {
  middle: [number, number];
  final: [number, number];
}
// ESC [ parameters and intermediates (0x20-0x3f) final (0x40-0x7e)
const CSI: Grammar = { middle: [0x20, 0x3f], final: [0x40, 0x7e] };
// ESC intermediates (0x20-0x2f) final (0x30-0x7e), as in `ESC ( B`
const CHARSET: Grammar = { middle: [0x20, 0x2f], final: [0x30, 0x7e] };

function sequenceLength(
  raw: Uint8Array,
  from: number,
  start: number,
  grammar: Grammar,
): number {
  for (let i = from; i - start < MAX_ESCAPE; i++) {
    const byte = raw[i];
    if (byte === undefined) return INCOMPLETE;
    if (byte >= grammar.final[0] && byte <= grammar.final[1]) {
      return i - start + 1;
    }
    if (byte < grammar.middle[0] || byte > grammar.middle[1]) return NOT_ESCAPE;
  }
  return NOT_ESCAPE;
}
