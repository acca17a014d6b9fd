import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 8;
const GROUP_SIZE = 4;

/**
 * A recovery key an operator can write down: 32 characters from an
 * alphabet without look-alikes (160 bits), in groups of four.
 */
export function newRecoveryKey(): string {
  const bytes = randomBytes(GROUPS * GROUP_SIZE);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += GROUP_SIZE) {
    groups.push(chars.slice(i, i + GROUP_SIZE).join(''));
  }
  return groups.join('-');
}

/** The same key however it was typed: case, spaces and dashes ignored. */
export function normalizeRecoveryKey(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}
