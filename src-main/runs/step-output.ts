import { type WriteStream, createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { FILE_MODE } from '../home.js';
import type { Masker } from '../masking/masker.js';
import { writeBatcher } from './write-batcher.js';

export type StreamName = 'stdout' | 'stderr';

/** Where a step's masked output goes besides its log files. */
export interface OutputTargets {
  /** A live view (the window, `start` in a terminal); never slows the step. */
  onOutput?: (stream: StreamName, chunk: Buffer) => void;
  /** Streams to copy the output to, such as the CLI's own stdout. */
  echo?: Partial<Record<StreamName, Writable>>;
}

/**
 * The output of one step: each stream goes through the run's masker into
 * the step's log file and to the live targets. With `output:` set, stdout
 * is also kept, unmasked and bounded, as the value later steps get.
 */
export class StepOutput {
  readonly #files: Record<StreamName, WriteStream>;
  readonly #captureLimit: number | undefined;
  #captured: Buffer[] = [];
  #capturedBytes = 0;
  #exceeded = false;
  #stderrTail = '';

  constructor(
    private readonly masker: Masker,
    paths: Record<StreamName, string>,
    private readonly targets: OutputTargets,
    captureLimit?: number,
  ) {
    this.#files = {
      stdout: createWriteStream(paths.stdout, { flags: 'a', mode: FILE_MODE }),
      stderr: createWriteStream(paths.stderr, { flags: 'a', mode: FILE_MODE }),
    };
    this.#captureLimit = captureLimit;
  }

  /** Connects one process's streams; resolves once all is written. */
  async attach(streams: Record<StreamName, Readable | null>): Promise<void> {
    await Promise.all(
      (['stdout', 'stderr'] as const).map((name) =>
        this.attachOne(name, streams[name]),
      ),
    );
  }

  /** Writes a line of Dagdesk's own to a stream, masked like the rest. */
  note(stream: StreamName, text: string): void {
    const masked = Buffer.from(this.masker.maskText(text));
    this.#files[stream].write(masked);
    this.targets.onOutput?.(stream, masked);
    this.targets.echo?.[stream]?.write(masked);
  }

  /** What a sub-DAG step prints: its child's summary, kept like stdout. */
  publish(text: string): void {
    this.note('stdout', text);
    this.capture(Buffer.from(text));
  }

  /** The last line the step wrote to stderr, masked: said in its error. */
  lastStderrLine(): string {
    const lines = this.#stderrTail.split('\n').map((l) => l.trim());
    return (
      lines
        .filter((l) => l !== '')
        .at(-1)
        ?.slice(-200) ?? ''
    );
  }

  /** The captured stdout, trimmed, or why there is none. */
  captured(): { value: string } | { exceeded: number } {
    if (this.#exceeded) return { exceeded: this.#captureLimit! };
    return { value: Buffer.concat(this.#captured).toString('utf8').trim() };
  }

  /** Forgets the captured value: a retried step publishes its last try. */
  resetCapture(): void {
    this.#captured = [];
    this.#capturedBytes = 0;
    this.#exceeded = false;
  }

  async close(): Promise<void> {
    const files = Object.values(this.#files);
    for (const file of files) file.end();
    await Promise.all(files.map((file) => finished(file)));
  }

  private async attachOne(name: StreamName, source: Readable | null) {
    if (!source) return;
    if (name === 'stdout' && this.#captureLimit !== undefined) {
      source.on('data', (chunk: Buffer) => this.capture(chunk));
    }
    // Batched: a write per few milliseconds, not per 4 KiB the step wrote.
    const masked = source.pipe(this.masker.transform()).pipe(writeBatcher());
    masked.pipe(this.#files[name], { end: false });
    const echo = this.targets.echo?.[name];
    if (echo) masked.pipe(echo, { end: false });
    const onOutput = this.targets.onOutput;
    if (onOutput) masked.on('data', (chunk: Buffer) => onOutput(name, chunk));
    if (name === 'stderr') {
      masked.on('data', (chunk: Buffer) => this.keepTail(chunk));
    }
    await finished(masked);
  }

  private keepTail(chunk: Buffer): void {
    this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-1024);
  }

  private capture(chunk: Buffer): void {
    if (this.#captureLimit === undefined || this.#exceeded) return;
    this.#capturedBytes += chunk.length;
    if (this.#capturedBytes > this.#captureLimit!) {
      this.#exceeded = true;
      this.#captured = [];
      return;
    }
    this.#captured.push(chunk);
  }
}
