import type { Profile } from '../../src-shared/profile.js';

/** How `profile show` writes a secret: its value never leaves the core. */
export const HIDDEN_VALUE = '********';

export function formatProfile(profile: Profile): string {
  const lines = [
    `name:        ${profile.name}`,
    `description: ${profile.description}`,
    `status:      ${profile.status}`,
    `protected:   ${profile.protected ? 'yes' : 'no'}`,
    `updated:     ${profile.updatedAt}`,
  ];
  if (profile.entries.length === 0)
    return [...lines, 'entries:     none'].join('\n') + '\n';
  const width = Math.max(...profile.entries.map((e) => e.key.length));
  lines.push('entries:');
  for (const entry of profile.entries) {
    const shown =
      entry.kind === 'secret'
        ? `${HIDDEN_VALUE}  (secret, version ${entry.version})`
        : JSON.stringify(entry.value);
    lines.push(`  ${entry.key.padEnd(width)}  ${shown}`);
  }
  return lines.join('\n') + '\n';
}

export function formatProfileList(profiles: Profile[]): string {
  if (profiles.length === 0) return 'no profiles\n';
  const rows = [
    ['NAME', 'STATUS', 'PROTECTED', 'ENTRIES', 'DESCRIPTION'],
    ...profiles.map((p) => [
      p.name,
      p.status,
      p.protected ? 'yes' : 'no',
      String(p.entries.length),
      p.description.split('\n')[0] ?? '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((r) => r[i]!.length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
