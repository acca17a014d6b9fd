import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Which lines of a log to read; 1-based like an editor's. */
export interface LineWindow {
  tail?: number;
  head?: number;
  offset?: number;
  limit: number;
}

export interface LogSlice {
  lines: string[];
  totalLines: number;
  /** Lines exist beyond the window. */
  hasMore: boolean;
}

/**
 * Reads a window of a step log line by line, so a log of any size is read
 * with memory for the window only.
 */
export async function readLogLines(
  path: string,
  window: LineWindow,
): Promise<LogSlice> {
  const keep = window.tail ?? window.head ?? window.limit;
  const first =
    window.tail !== undefined || window.head !== undefined
      ? 1
      : (window.offset ?? 1);
  const lines: string[] = [];
  let total = 0;
  const input = createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  });
  for await (const line of input) {
    total++;
    if (window.tail !== undefined) {
      lines.push(line);
      if (lines.length > keep) lines.shift();
    } else if (total >= first && lines.length < keep) {
      lines.push(line);
    }
  }
  const hasMore =
    window.tail !== undefined
      ? total > lines.length
      : first - 1 + lines.length < total;
  return { lines, totalLines: total, hasMore };
}
