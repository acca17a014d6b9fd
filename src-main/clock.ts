/** RFC 3339 in UTC, to the second, as Dagu prints times. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
