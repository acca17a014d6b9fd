import type { MaskForm } from './mask-forms.js';

/**
 * All mask forms of a run, compiled for one pass over the bytes: a trie
 * of the needles, a Wu-Manber shift table that skips most positions
 * without looking at them, and the tables that find whole-word needles.
 *
 * Every match is found on the original text, so the union of matches, and
 * so the masked output, does not depend on the order secrets were added.
 */

const NO_BOUNDARY = -1;
const ANYWHERE = 1;
const WHOLE_WORD = 2;
// The window Wu-Manber skips by; its table is indexed by two bytes.
const MAX_WINDOW = 256;

/** Letters, digits, `_`, and every byte of a non-ASCII character. */
const WORD = new Uint8Array(256).map((_, b) =>
  /[A-Za-z0-9_]/.test(String.fromCharCode(b)) || b >= 0x80 ? 1 : 0,
);

const isWord = (byte: number) => byte !== NO_BOUNDARY && WORD[byte] === 1;

/** A match, as half-open byte offsets into the scanned text. */
export interface Range {
  start: number;
  end: number;
}

export class Matcher {
  readonly isEmpty: boolean;
  /** Bytes of the longest needle: nothing further back can still match. */
  readonly longest: number;

  private readonly rootChildren = new Int32Array(256);
  private readonly edges = new Map<number, number>();
  private readonly terminal: Uint8Array;
  private readonly hasChildren: Uint8Array;
  /** Two-byte prefixes of needles, to skip hopeless tail positions. */
  private readonly prefixPairs = new Uint8Array(65536);
  private readonly window: number;
  private readonly shift: Uint8Array | undefined;
  private readonly wholeWordFirst: Uint8Array | undefined;
  private pending = false;

  constructor(forms: readonly MaskForm[]) {
    const needles = forms.map((form) => ({
      bytes: Buffer.from(form.text, 'utf8'),
      wholeWord: form.wholeWord,
    }));
    this.isEmpty = needles.length === 0;
    this.longest = Math.max(0, ...needles.map((n) => n.bytes.length));

    const terminal: number[] = [0];
    const hasChildren: number[] = [0];
    for (const needle of needles) {
      const node = this.insert(needle.bytes, terminal, hasChildren);
      const kind = needle.wholeWord ? WHOLE_WORD : ANYWHERE;
      // The same text as anywhere and as whole word: anywhere wins.
      terminal[node] = terminal[node] === ANYWHERE ? ANYWHERE : kind;
    }
    this.terminal = Uint8Array.from(terminal);
    this.hasChildren = Uint8Array.from(hasChildren);

    const anywhere = needles.filter((n) => !n.wholeWord).map((n) => n.bytes);
    this.window = Math.min(MAX_WINDOW, ...anywhere.map((b) => b.length));
    this.shift =
      anywhere.length > 0 ? shiftTable(anywhere, this.window) : undefined;
    this.wholeWordFirst = firstBytes(needles.filter((n) => n.wholeWord));
  }

  /**
   * Where the bytes that may still begin a match start: the first offset
   * from which `text[offset, end)` could grow into a match with more
   * bytes. `end` when nothing is pending.
   */
  holdStart(text: Uint8Array, end: number, before: number): number {
    for (let p = Math.max(0, end - this.longest); p < end; p++) {
      if (this.rootChildren[text[p]!] === 0) continue;
      if (
        p + 1 < end &&
        this.prefixPairs[(text[p]! << 8) | text[p + 1]!] === 0
      ) {
        continue;
      }
      this.matchAt(text, p, end, before, false);
      if (this.pending) return p;
    }
    return end;
  }

  /**
   * The merged matches that start before `limit`, none of which can grow:
   * `limit` must not be past `holdStart`.
   */
  ranges(
    text: Uint8Array,
    end: number,
    limit: number,
    before: number,
    final: boolean,
  ): Range[] {
    const found: Range[] = [];
    this.scanAnywhere(text, end, limit, before, final, found);
    this.scanWholeWords(text, end, limit, before, final, found);
    return mergeRanges(found);
  }

  // Wu-Manber: look at the last two bytes of each window; jump as far as
  // no needle could start in between, and check a start only on a zero.
  private scanAnywhere(
    text: Uint8Array,
    end: number,
    limit: number,
    before: number,
    final: boolean,
    found: Range[],
  ): void {
    const shift = this.shift;
    if (!shift) return;
    const last = this.window - 1;
    let i = last;
    while (i < end) {
      const jump = shift[(text[i - 1]! << 8) | text[i]!]!;
      if (jump !== 0) {
        i += jump;
        continue;
      }
      const start = i - last;
      if (start >= limit) return;
      const matchEnd = this.matchAt(text, start, end, before, final);
      if (matchEnd > 0) found.push({ start, end: matchEnd });
      i++;
    }
  }

  private scanWholeWords(
    text: Uint8Array,
    end: number,
    limit: number,
    before: number,
    final: boolean,
    found: Range[],
  ): void {
    const first = this.wholeWordFirst;
    if (!first) return;
    for (let start = 0; start < limit; start++) {
      if (first[text[start]!] === 0) continue;
      const matchEnd = this.matchAt(text, start, end, before, final);
      if (matchEnd > 0) found.push({ start, end: matchEnd });
    }
  }

  /**
   * The end of the longest match starting at `start`, or -1. Sets
   * `pending` when the text ran out while a longer match was possible.
   */
  private matchAt(
    text: Uint8Array,
    start: number,
    end: number,
    before: number,
    final: boolean,
  ): number {
    this.pending = false;
    const left = start > 0 ? text[start - 1]! : before;
    const leftOpen = !(isWord(left) && isWord(text[start]!));
    let node = 0;
    let best = -1;
    for (let i = start; i < end; i++) {
      node = this.child(node, text[i]!);
      if (node === 0) return best;
      const kind = this.terminal[node];
      if (kind === ANYWHERE) best = i + 1;
      else if (kind === WHOLE_WORD && leftOpen) {
        if (i + 1 === end && !final) this.pending = true;
        else if (i + 1 === end || !(isWord(text[i]!) && isWord(text[i + 1]!))) {
          best = i + 1;
        }
      }
    }
    if (!final && this.hasChildren[node] === 1) this.pending = true;
    return best;
  }

  private child(node: number, byte: number): number {
    if (node === 0) return this.rootChildren[byte]!;
    return this.edges.get(node * 256 + byte) ?? 0;
  }

  private insert(bytes: Buffer, terminal: number[], hasChildren: number[]) {
    let node = 0;
    for (const [depth, byte] of bytes.entries()) {
      let next = this.child(node, byte);
      if (next === 0) {
        next = terminal.length;
        terminal.push(0);
        hasChildren.push(0);
        hasChildren[node] = 1;
        if (node === 0) this.rootChildren[byte] = next;
        else this.edges.set(node * 256 + byte, next);
      }
      if (depth === 1) this.prefixPairs[(bytes[0]! << 8) | byte] = 1;
      node = next;
    }
    return node;
  }
}

/**
 * For each pair of bytes, how far a window ending in it may move before a
 * needle could start inside it; 0 marks a possible start.
 */
function shiftTable(needles: Buffer[], window: number): Uint8Array {
  const table = new Uint8Array(65536).fill(window - 1);
  for (const bytes of needles) {
    for (let j = 1; j < window; j++) {
      const pair = (bytes[j - 1]! << 8) | bytes[j]!;
      table[pair] = Math.min(table[pair]!, window - 1 - j);
    }
  }
  return table;
}

function firstBytes(needles: { bytes: Buffer }[]): Uint8Array | undefined {
  if (needles.length === 0) return undefined;
  const table = new Uint8Array(256);
  for (const { bytes } of needles) table[bytes[0]!] = 1;
  return table;
}

/** Sorted, with overlapping and touching ranges joined. */
export function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end)
      last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
