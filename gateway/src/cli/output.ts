/**
 * How a command talks: people get readable lines and progress on stderr;
 * scripts (`--json`) get exactly one JSON document on stdout.
 */
export class Output {
  constructor(readonly json: boolean) {}

  /** A line for people; silent in JSON mode. */
  line(text = ''): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /** Progress always goes to stderr, so it never mixes with a JSON result. */
  progress(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** The JSON result; printed only in JSON mode. */
  result(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/** A plain-text table with columns padded to the widest cell (CJK counted double). */
export function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Thrown for a wrong command line; the dispatcher prints it with the usage and exits 64. */
export class UsageError extends Error {}
