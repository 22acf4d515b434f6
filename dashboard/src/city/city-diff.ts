/** An area as the diff sees it: its name and its boundary as stored (JSON text, compared exactly). */
export type DiffArea = { name: string; ring: string | null };

export interface CityDiff {
  from: number;
  to: number;
  added: { code: string; name: string }[];
  removed: { code: string; name: string }[];
  renamed: { code: string; from: string; to: string }[];
  /** Same code, a different boundary. */
  reshaped: { code: string; name: string }[];
}

/** What changes, area by area (by code), going from version `from` to version `to`. */
export function diffCities(
  from: number,
  a: ReadonlyMap<string, DiffArea>,
  to: number,
  b: ReadonlyMap<string, DiffArea>,
): CityDiff {
  const d: CityDiff = { from, to, added: [], removed: [], renamed: [], reshaped: [] };
  for (const [code, x] of a) {
    const y = b.get(code);
    if (!y) d.removed.push({ code, name: x.name });
    else {
      if (x.name !== y.name) d.renamed.push({ code, from: x.name, to: y.name });
      if (x.ring !== y.ring) d.reshaped.push({ code, name: y.name });
    }
  }
  for (const [code, y] of b) if (!a.has(code)) d.added.push({ code, name: y.name });
  const byCode = (p: { code: string }, q: { code: string }) => (p.code < q.code ? -1 : p.code > q.code ? 1 : 0);
  for (const list of [d.added, d.removed, d.renamed, d.reshaped]) list.sort(byCode);
  return d;
}

/** The diff for the terminal, Chinese first; long lists are cut with a count of the rest. */
export function diffText(d: CityDiff, limit = 50): string {
  const lines = [
    `版本 ${d.from} → ${d.to}：新增 ${d.added.length}，删除 ${d.removed.length}，更名 ${d.renamed.length}，边界变化 ${d.reshaped.length}` +
      ` / added ${d.added.length}, removed ${d.removed.length}, renamed ${d.renamed.length}, reshaped ${d.reshaped.length}`,
  ];
  const section = <T>(title: string, list: T[], line: (x: T) => string) => {
    if (!list.length) return;
    lines.push(title);
    for (const x of list.slice(0, limit)) lines.push(`  ${line(x)}`);
    if (list.length > limit) lines.push(`  …另有 ${list.length - limit} 项 / ${list.length - limit} more`);
  };
  section('新增 / added:', d.added, (x) => `+ ${x.code} ${x.name}`);
  section('删除 / removed:', d.removed, (x) => `- ${x.code} ${x.name}`);
  section('更名 / renamed:', d.renamed, (x) => `~ ${x.code} ${x.from} → ${x.to}`);
  section('边界变化 / reshaped:', d.reshaped, (x) => `# ${x.code} ${x.name}`);
  return lines.join('\n');
}
