import { describe, expect, it } from 'vitest';
import { Masker } from '../../src-main/masking/masker.js';
import { MASK_TOKEN } from '../../src-main/masking/stream-masker.js';

const M = MASK_TOKEN;

/** Feeds `pieces` one write each, returning what came out of each write. */
function stream(masker: Masker, pieces: (string | Buffer)[]) {
  const state = masker.streamMasker();
  const outputs = pieces.map((piece) =>
    Buffer.concat(
      state.write(typeof piece === 'string' ? Buffer.from(piece) : piece),
    ),
  );
  outputs.push(Buffer.concat(state.end()));
  return {
    outputs: outputs.map((b) => b.toString('utf8')),
    text: Buffer.concat(outputs).toString('utf8'),
  };
}

describe('masking a secret in text', () => {
  it('replaces every occurrence with the token', () => {
    const masker = new Masker(['hunter22']);
    expect(masker.maskText('pw=hunter22; again hunter22.')).toBe(
      `pw=${M}; again ${M}.`,
    );
  });

  it('leaves no tail of overlapping secrets', () => {
    // A masker that replaces one secret after another leaves "ghi" here.
    const masker = new Masker(['abcdef', 'defghi']);
    expect(masker.maskText('xx abcdefghi yy')).toBe(`xx ${M} yy`);
  });

  it('joins adjacent secrets into one token', () => {
    const masker = new Masker(['first-secret', 'second-secret']);
    expect(masker.maskText('first-secretsecond-secret')).toBe(M);
    expect(masker.maskText('first-secret second-secret')).toBe(`${M} ${M}`);
  });

  it('masks secrets that are substrings of each other by the longest', () => {
    const masker = new Masker(['token', 'token-extended']);
    expect(masker.maskText('a token-extended b token c')).toBe(
      `a ${M} b ${M} c`,
    );
  });

  it('gives the same output whatever order the secrets were added in', () => {
    const secrets = ['abcdef', 'defghi', 'ghijkl', 'cdefgh'];
    const text = 'xabcdefghijklx defghi xghijkx';
    const masked = new Masker(secrets).maskText(text);
    expect(new Masker([...secrets].reverse()).maskText(text)).toBe(masked);
    expect(masked).toBe(`x${M}x ${M} xghijkx`);
  });

  it('masks a secret equal to the mask token, and text around tokens', () => {
    const masker = new Masker([M, 'plain-secret']);
    expect(masker.maskText(`a ${M} b plain-secret c`)).toBe(`a ${M} b ${M} c`);
  });

  it('never registers empty or whitespace-only secrets', () => {
    const masker = new Masker();
    expect(masker.add('')).toEqual({ registered: false, wholeWordOnly: false });
    expect(masker.add(' \t\n ')).toEqual({
      registered: false,
      wholeWordOnly: false,
    });
    expect(masker.needleCount).toBe(0);
    expect(masker.maskText('  spaces \t stay\n')).toBe('  spaces \t stay\n');
  });
});

describe('short secrets', () => {
  it('are masked only as whole words, and say so when registered', () => {
    const masker = new Masker();
    expect(masker.add('a')).toEqual({ registered: true, wholeWordOnly: true });
    expect(masker.maskText('a cat ate a banana, a')).toBe(
      `${M} cat ate ${M} banana, ${M}`,
    );
  });

  it('count characters, not bytes', () => {
    const masker = new Masker();
    expect(masker.add('ééé').wholeWordOnly).toBe(true);
    expect(masker.add('four').wholeWordOnly).toBe(false);
    expect(masker.maskText('ééé éééé x')).toBe(`${M} éééé x`);
  });

  it('match at word edges only where the secret has letters there', () => {
    const masker = new Masker(['-1']);
    expect(masker.maskText('x=-1 y-1 z=-10')).toBe(`x=${M} y${M} z=-10`);
  });

  it('stay whole-word when a stream cuts right after them', () => {
    const masker = new Masker(['pin']);
    const { text, outputs } = stream(masker, ['my pin', 'ned note pin']);
    expect(text).toBe(`my pinned note ${M}`);
    expect(outputs[0]).toBe('my ');
  });
});

describe('derived forms', () => {
  const secret = 'p@ss word/+"ü\\';
  const masker = new Masker([secret]);

  it.each([
    ['trimmed', `  ${secret}  `.trim()],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['URL-encoded with %20', encodeURIComponent(secret)],
    [
      'URL-encoded with +',
      new URLSearchParams({ v: secret }).toString().slice(2),
    ],
  ])('masks the %s form', (_name, form) => {
    expect(masker.maskText(`<${form}>`)).toBe(`<${M}>`);
  });

  it.each([0, 1, 2])(
    'masks base64 and base64url at byte offset %i',
    (offset) => {
      const payload = Buffer.concat([
        Buffer.from('xyz'.slice(0, offset)),
        Buffer.from(secret),
        Buffer.from('tail'),
      ]);
      for (const alphabet of ['base64', 'base64url'] as const) {
        const encoded = payload.toString(alphabet);
        const masked = masker.maskText(encoded);
        expect(masked).toContain(M);
        // At most the characters shared with the neighbours remain.
        expect(masked.replace(M, '').length).toBeLessThanOrEqual(
          encoded.length - Math.floor((secret.length * 4) / 3),
        );
      }
    },
  );

  it('masks each line of a multi-line secret, even printed alone', () => {
    const pem = 'BEGIN KEY\nMIIEvQIBADANBgkq\n\nhkiG9w0BAQEFAASC\nEND KEY';
    const lines = new Masker([pem]);
    expect(lines.maskText('line: hkiG9w0BAQEFAASC.')).toBe(`line: ${M}.`);
    const { text } = stream(lines, ['MIIEvQIB', 'ADANBgkq\n', 'ok\n']);
    expect(text).toBe(`${M}\nok\n`);
  });
});

describe('streaming', () => {
  it('masks a secret split over many writes, one byte each', () => {
    const masker = new Masker(['split-secret-value']);
    const input = 'before split-secret-value after';
    const { text } = stream(
      masker,
      [...input].map((c) => c),
    );
    expect(text).toBe(`before ${M} after`);
  });

  it('emits what cannot start a secret at once, without a newline', () => {
    const masker = new Masker(['hunter22']);
    const { outputs } = stream(masker, ['progress 10%\r', 'progress 20%\r']);
    expect(outputs.slice(0, 2)).toEqual(['progress 10%\r', 'progress 20%\r']);
  });

  it('holds back only the bytes that may begin a secret', () => {
    const masker = new Masker(['hunter22']);
    const { outputs, text } = stream(masker, ['log hun', 'ted down']);
    expect(outputs[0]).toBe('log ');
    expect(text).toBe('log hunted down');
  });

  it('keeps its hold bounded on a one-megabyte line', () => {
    const secret = 'needle-in-a-long-line';
    const masker = new Masker([secret]);
    const state = masker.streamMasker();
    const chunk = Buffer.from('x'.repeat(64 * 1024 - 5) + 'needl');
    let emitted = 0;
    for (let i = 0; i < 16; i++) {
      emitted += Buffer.concat(state.write(chunk)).length;
      // Only "needl" (a prefix of the secret) is ever held back.
      expect((i + 1) * chunk.length - emitted).toBeLessThanOrEqual(5);
    }
    const line = Buffer.concat([
      Buffer.alloc(512 * 1024, 'y'),
      Buffer.from(secret),
      Buffer.alloc(512 * 1024, 'z'),
    ]);
    const masked = masker.maskBytes(line).toString();
    expect(masked).toBe(
      `${'y'.repeat(512 * 1024)}${M}${'z'.repeat(512 * 1024)}`,
    );
  });

  it('passes binary output through, masking only the secret', () => {
    const masker = new Masker(['binary-secret']);
    const bytes = Buffer.from([0, 255, 0xc3, 0x28, 0x1b, 0x80, 10, 13]);
    const input = Buffer.concat([bytes, Buffer.from('binary-secret'), bytes]);
    const out = masker.maskBytes(input);
    expect(out).toEqual(Buffer.concat([bytes, Buffer.from(M), bytes]));
  });

  it('never splits a UTF-8 character across writes', () => {
    const masker = new Masker(['some-secret']);
    const euro = Buffer.from('€');
    const { outputs } = stream(masker, [
      Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]),
      euro.subarray(2),
    ]);
    expect(outputs.slice(0, 2)).toEqual(['a', '€']);
  });

  it('applies secrets added while a stream is open to what follows', () => {
    const masker = new Masker(['first-secret']);
    const state = masker.streamMasker();
    const head = Buffer.concat(
      state.write(Buffer.from('first-secret late-secret ')),
    );
    masker.add('late-secret');
    const tail = Buffer.concat([
      ...state.write(Buffer.from('late-secret')),
      ...state.end(),
    ]);
    expect(`${head}${tail}`).toBe(`${M} late-secret ${M}`);
  });

  it('works as a Node transform stream', async () => {
    const masker = new Masker(['transform-secret']);
    const transform = masker.transform();
    const chunks: Buffer[] = [];
    transform.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => transform.on('end', resolve));
    transform.write('a transform-');
    transform.end('secret b');
    await ended;
    expect(Buffer.concat(chunks).toString()).toBe(`a ${M} b`);
  });
});

describe('colour codes', () => {
  const masker = new Masker(['colour-secret']);

  it('keep the colours around a secret', () => {
    const input = '\x1b[31mred \x1b[1mcolour-secret\x1b[0m plain';
    expect(masker.maskText(input)).toBe(`\x1b[31mred \x1b[1m${M}\x1b[0m plain`);
  });

  it('find a secret interrupted by colour codes, keeping the codes', () => {
    const input = 'x colour-\x1b[32msec\x1b[0mret y';
    expect(masker.maskText(input)).toBe(`x ${M}\x1b[32m\x1b[0m y`);
  });

  it('find it when an escape is split across writes', () => {
    const { text } = stream(masker, ['colour-\x1b[3', '2msecret\x1b', '[0m!']);
    expect(text).toBe(`${M}\x1b[32m\x1b[0m!`);
  });

  it('mask a secret inside a terminal hyperlink', () => {
    const link =
      '\x1b]8;;https://x.test/?t=colour-secret\x1b\\link\x1b]8;;\x1b\\';
    expect(masker.maskText(link)).not.toContain('colour-secret');
  });
});

describe('structured values', () => {
  it('masks every string, keys and nested values included', () => {
    const masker = new Masker(['deep-secret']);
    const value = {
      command: 'curl -H "X: deep-secret"',
      env: ['A=1', 'TOKEN=deep-secret'],
      nested: { 'deep-secret': { n: 3, ok: true, none: null } },
    };
    expect(masker.maskValue(value)).toEqual({
      command: `curl -H "X: ${M}"`,
      env: ['A=1', `TOKEN=${M}`],
      nested: { [M]: { n: 3, ok: true, none: null } },
    });
    expect(value.env[1]).toBe('TOKEN=deep-secret');
  });
});
