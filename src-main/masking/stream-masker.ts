import { type Projection, project } from './ansi.js';
import type { Matcher, Range } from './matcher.js';

/** What replaces every masked run of bytes. */
export const MASK_TOKEN = '*******';
const TOKEN = Buffer.from(MASK_TOKEN);
const NO_BYTE = -1;
const EMPTY = Buffer.alloc(0);

/**
 * Masks one byte stream as it arrives. It emits every byte that can no
 * longer be part of a secret at once, and holds back only those that may
 * still begin one (and an unfinished escape or UTF-8 character), so the
 * output equals masking the whole stream in one go, however it is cut.
 *
 * Output comes as pieces that point into the input where nothing was
 * masked, so a clean chunk is passed on without being copied.
 */
export class StreamMasker {
  #held: Buffer = EMPTY;
  /** The last visible byte emitted, for whole-word boundaries. */
  #before = NO_BYTE;
  /** The last visible byte emitted was masked: a mask that follows joins it. */
  #maskOpen = false;
  /** Visible bytes at the start of `#held` already known to be masked. */
  #maskedAhead = 0;
  #joined: Buffer = EMPTY;
  #visible: Buffer = EMPTY;

  /** `matcher` is asked again per chunk, so secrets added later apply. */
  constructor(private readonly matcher: () => Matcher) {}

  /** Takes the next chunk; returns the masked bytes that are now final. */
  write(chunk: Uint8Array): Buffer[] {
    return this.process(new RawInput(this.#held, toBuffer(chunk), this), false);
  }

  /** Releases everything held; the stream is over. */
  end(): Buffer[] {
    const out = this.process(new RawInput(this.#held, EMPTY, this), true);
    this.#held = EMPTY;
    return out;
  }

  /** A reusable buffer of at least `size` bytes. */
  scratch(which: 'joined' | 'visible', size: number): Buffer {
    const current = which === 'joined' ? this.#joined : this.#visible;
    if (current.length >= size) return current;
    const grown = Buffer.allocUnsafe(Math.max(size, current.length * 2));
    if (which === 'joined') this.#joined = grown;
    else this.#visible = grown;
    return grown;
  }

  private process(input: RawInput, final: boolean): Buffer[] {
    const matcher = this.matcher();
    if (matcher.isEmpty) return this.passThrough(input, final);

    const raw = input.bytes;
    const view = project(raw, final, () => this.scratch('visible', raw.length));
    const { visible } = view;
    const end = visible.length;
    const hold = final ? end : matcher.holdStart(visible, end, this.#before);
    const ranges = matcher.ranges(visible, end, hold, this.#before, final);
    if (this.#maskedAhead > 0) {
      ranges.unshift({ start: 0, end: this.#maskedAhead });
      joinFirst(ranges);
    }

    let cut = hold;
    if (!final) cut -= unmaskedUtf8Tail(visible, cut, ranges);
    const rawCut = cut < end ? view.rawOffset(cut) : view.rawEnd;
    const out = this.emit(input, view, ranges, cut, rawCut);
    this.#held = input.rest(rawCut);
    return out;
  }

  private passThrough(input: RawInput, final: boolean): Buffer[] {
    const raw = input.bytes;
    const tail = final ? 0 : unmaskedUtf8Tail(raw, raw.length, []);
    const cut = raw.length - tail;
    if (cut > 0) this.#before = raw[cut - 1]!;
    const out = input.slice(0, cut);
    this.#held = input.rest(cut);
    return out;
  }

  /** Raw bytes before `rawCut`, each range before `cut` as one token. */
  private emit(
    input: RawInput,
    view: Projection,
    ranges: Range[],
    cut: number,
    rawCut: number,
  ): Buffer[] {
    const pieces: Buffer[] = [];
    let rawPos = 0;
    this.#maskedAhead = 0;
    for (const range of ranges) {
      if (range.start >= cut) {
        if (range.start === 0) this.#maskedAhead = range.end;
        break;
      }
      pieces.push(...input.slice(rawPos, view.rawOffset(range.start)));
      if (!(range.start === 0 && this.#maskOpen)) pieces.push(TOKEN);

      const last = Math.min(range.end, cut) - 1;
      for (const [from, to] of view.escapesWithin(range.start, last)) {
        pieces.push(...input.slice(from, to));
      }
      rawPos = view.rawOffset(last) + 1;
      this.#maskOpen = true;
      if (range.end > cut) this.#maskedAhead = range.end - cut;
    }
    if (cut > 0) {
      if (!coveredAt(ranges, cut - 1)) this.#maskOpen = false;
      this.#before = view.visible[cut - 1]!;
    }
    pieces.push(...input.slice(rawPos, rawCut));
    return pieces;
  }
}

/**
 * The bytes one step works on: what was held back, then the new chunk,
 * joined in a reused buffer for matching. Output is sliced from the two
 * originals, so the joined copy can be reused at once.
 */
class RawInput {
  readonly bytes: Buffer;

  constructor(
    private readonly held: Buffer,
    private readonly chunk: Buffer,
    masker: StreamMasker,
  ) {
    if (held.length === 0) this.bytes = chunk;
    else if (chunk.length === 0) this.bytes = held;
    else {
      const size = held.length + chunk.length;
      this.bytes = masker.scratch('joined', size).subarray(0, size);
      held.copy(this.bytes, 0);
      chunk.copy(this.bytes, held.length);
    }
  }

  /** Raw bytes [from, to) as pieces of the originals. */
  slice(from: number, to: number): Buffer[] {
    if (to <= from) return [];
    const split = this.held.length;
    if (to <= split) return [this.held.subarray(from, to)];
    if (from >= split) return [this.chunk.subarray(from - split, to - split)];
    return [this.held.subarray(from), this.chunk.subarray(0, to - split)];
  }

  /** Raw bytes from `from` on, copied: they are held for the next chunk. */
  rest(from: number): Buffer {
    const length = this.bytes.length - from;
    return length === 0 ? EMPTY : Buffer.from(this.bytes.subarray(from));
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function joinFirst(ranges: Range[]): void {
  const head = ranges[0]!;
  while (ranges.length > 1 && ranges[1]!.start <= head.end) {
    head.end = Math.max(head.end, ranges[1]!.end);
    ranges.splice(1, 1);
  }
}

function coveredAt(ranges: Range[], offset: number): boolean {
  return ranges.some((r) => r.start <= offset && offset < r.end);
}

/**
 * Bytes at the end of `bytes[0, end)` that start a UTF-8 character not yet
 * complete, unless they are masked anyway; 0 when the end is clean.
 */
function unmaskedUtf8Tail(
  bytes: Uint8Array,
  end: number,
  ranges: Range[],
): number {
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (needs <= back) return 0;
      return coveredAt(ranges, end - back) ? 0 : back;
    }
  }
  return 0;
}
