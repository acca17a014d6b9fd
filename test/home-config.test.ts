import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHomeConfig, loadQueueLimits } from '../src-main/home-config.js';
import { tempHome } from './support/temp-home.js';

function homeWithConfig(yaml?: string): string {
  const home = tempHome();
  mkdirSync(home, { recursive: true });
  if (yaml !== undefined) writeFileSync(join(home, 'config.yaml'), yaml);
  return home;
}

describe('<home>/config.yaml', () => {
  it('is optional: every queue runs one at a time, no server', () => {
    const home = homeWithConfig();
    expect(loadQueueLimits(home)('anything')).toBe(1);
    expect(loadHomeConfig(home).server).toBeUndefined();
  });

  it('names queues that run more at once, and the server setting', () => {
    const home = homeWithConfig(
      'queues:\n  - {name: batch, max_concurrency: 3}\nserver:\n  enabled: true\n',
    );
    expect(loadQueueLimits(home)('batch')).toBe(3);
    expect(loadQueueLimits(home)('other')).toBe(1);
    expect(loadHomeConfig(home).server).toEqual({ enabled: true, port: 8080 });
  });

  it('refuses a bad setting, naming the file and the field', () => {
    const home = homeWithConfig(
      'queues:\n  - {name: batch, max_concurrency: 0}\n',
    );
    expect(() => loadHomeConfig(home)).toThrow(
      `${join(home, 'config.yaml')}: queues.0.max_concurrency: `,
    );
  });
});
