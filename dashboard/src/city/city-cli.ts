import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../audit/audit-log.js';
import { FieldCrypto } from '../privacy/field-crypto.js';
import { openSqlDb, type OpenStoreOptions } from '../store/open-store.js';
import { diffText } from './city-diff.js';
import { type CityImportOptions, importCity } from './city-import.js';
import { orphanText } from './city-orphans.js';
import { CityError, CityService } from './city-service.js';
import { CityStore } from './city-store.js';
import { reportText } from './city-validate.js';
import { parseCrs, parseLevel, parseReassign, readMappingFile } from './cli-options.js';

export const CITY_USAGE = `linli-hub city — the city's areas, facilities and walking network, as versions (docs/city-import.md)

  linli-hub city import FILE… --data DIR [--database postgres://…] [--name 名称]
                  [--mapping mapping.json] [--crs wgs84|cgcs2000|gcj02|bd09] [--level grid|community|…]
                  [--encoding gbk] [--dry-run] [--activate [--reassign OLD=NEW]… [--accept-orphans]] [--json]
      FILE: GeoJSON (.geojson/.json), KML (.kml) or a zipped Shapefile (.zip); polygons are areas,
      points facilities, lines the walking network. Prints the validation report (中文 / English).
      --dry-run stores nothing; otherwise the version is stored, as failed if it has errors.
  linli-hub city list --data DIR               every version; * marks the active one
  linli-hub city show V --data DIR             a version's source files and validation report
  linli-hub city diff V1 V2 --data DIR         areas added, removed, renamed and reshaped from V1 to V2
  linli-hub city activate V --data DIR [--reassign OLD=NEW]… [--accept-orphans]
      make V the active city on every hub node (they follow within seconds); refused while users,
      open alerts, register rows, enrollment codes or gateways name areas V lacks, unless each
      is moved (--reassign) or you accept them (--accept-orphans). Audited.`;

const CLI_ACTOR = { userId: 'cli', role: 'system' as const };

/** `linli-hub city …`: its own options, so the serve options never leak into it. Returns the exit code. */
export async function cityCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: env.LINLI_DATA ?? './data/hub' },
      database: { type: 'string', default: env.LINLI_DATABASE_URL },
      name: { type: 'string' },
      mapping: { type: 'string' },
      crs: { type: 'string' },
      level: { type: 'string' },
      encoding: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      activate: { type: 'boolean', default: false },
      reassign: { type: 'string', multiple: true },
      'accept-orphans': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [sub, ...args] = positionals;
  if (values.help || !sub) {
    console.log(CITY_USAGE);
    return values.help ? 0 : 64;
  }
  const out = (text: string, json: unknown) => console.log(values.json ? JSON.stringify(json) : text);
  if (sub === 'import' && !args.length) return usage('city import needs at least one FILE');
  const importOpts: CityImportOptions | null =
    sub === 'import'
      ? {
          name: values.name ?? basename(args[0]!).replace(/\.[^.]+$/, ''),
          ...(values.mapping ? { mapping: readMappingFile(values.mapping) } : {}),
          ...(values.crs ? { crs: parseCrs(values.crs) } : {}),
          ...(values.level ? { level: parseLevel(values.level) } : {}),
          ...(values.encoding ? { encoding: values.encoding } : {}),
          onProgress: (p) => process.stderr.write(`[${p.stage}] ${p.label} ${p.total ? `${p.done}/${p.total}` : ''}\n`),
        }
      : null;
  const reassign = parseReassign(values.reassign ?? []);
  const activateOpts = { reassign, acceptOrphans: values['accept-orphans'] };
  // A dry run reads only the files: no database, nothing stored.
  if (importOpts && values['dry-run']) {
    const draft = await importCity(readFiles(args), importOpts);
    out(reportText(draft.report), { dryRun: true, report: draft.report });
    return draft.report.ok ? 0 : 1;
  }
  const dataDir = resolve(values.data);
  const storeOpts: OpenStoreOptions = { dataDir, ...(values.database ? { database: values.database } : {}) };
  const db = await openSqlDb(storeOpts);
  const crypto = FieldCrypto.open(dataDir);
  const audit = new AuditLog(db, { hmacKey: crypto.auditKey });
  const cities = new CityService(new CityStore(db), audit);
  try {
    if (importOpts) {
      const draft = await importCity(readFiles(args), importOpts);
      const id = (await cities.save(draft, CLI_ACTOR, Date.now()))!;
      out(`版本 ${id} / version ${id}: ${draft.name}\n${reportText(draft.report)}`, { id, report: draft.report });
      if (!draft.report.ok) return 1;
      return values.activate ? await activate(cities, id, activateOpts, out) : 0;
    }
    if (sub === 'list') {
      const list = await cities.store.list();
      out(
        list.length
          ? list
              .map(
                (v) =>
                  `${v.active ? '*' : ' '} ${v.id}\t${v.status === 'valid' ? '有效 valid' : '失败 failed'}\t${v.areaCount} 个面域\t` +
                  `${new Date(v.createdAt).toISOString()}\t${v.createdBy}\t${v.name}${v.demo ? '（示意数据 demo）' : ''}`,
              )
              .join('\n')
          : '尚无城市版本；用 linli-hub city import 导入 / no city versions yet: import one with linli-hub city import',
        list,
      );
      return 0;
    }
    if (sub === 'show') {
      const v = await cities.store.get(versionArg(args[0]));
      if (!v) return usage(`no city version ${args[0]}`);
      const files = v.source.files.map(
        (f) => `  ${f.name} (${f.format}, ${f.bytes} B, ${f.crs}${f.encoding ? `, ${f.encoding}` : ''})`,
      );
      out(
        [
          `版本 ${v.id} / version ${v.id}: ${v.name}${v.active ? '（当前启用 active）' : ''}`,
          '文件 / files:',
          ...files,
          reportText(v.report),
        ].join('\n'),
        v,
      );
      return 0;
    }
    if (sub === 'diff') {
      const d = await cities.diff(versionArg(args[0]), versionArg(args[1]));
      out(diffText(d), d);
      return 0;
    }
    if (sub === 'activate') return await activate(cities, versionArg(args[0]), activateOpts, out);
    return usage(`unknown city command: ${sub}`);
  } catch (e) {
    if (!(e instanceof CityError)) throw e;
    out(`linli-hub: ${e.message}${e.orphans.length ? `\n${orphanText(e.orphans)}` : ''}`, {
      ok: false,
      code: e.code,
      message: e.message,
      orphans: e.orphans,
    });
    return 1;
  } finally {
    await audit.flush();
    await db.close();
  }
}

async function activate(
  cities: CityService,
  id: number,
  opts: { reassign: Map<string, string>; acceptOrphans: boolean },
  out: (text: string, json: unknown) => void,
): Promise<number> {
  const r = await cities.activate(id, CLI_ACTOR, Date.now(), opts);
  out(
    `已启用版本 ${id} / version ${id} is active` +
      (r.moved ? `；迁移 ${r.moved} 行 / moved ${r.moved} row(s)` : '') +
      (r.accepted.length ? `\n已接受 / accepted:\n${orphanText(r.accepted)}` : ''),
    { ok: true, ...r },
  );
  return 0;
}

function readFiles(names: string[]) {
  return names.map((name) => ({ name, data: new Uint8Array(readFileSync(name)) }));
}

function versionArg(v: string | undefined): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < 1)
    throw new Error(`a city version number is expected (got ${v ?? 'nothing'}); see linli-hub city list`);
  return n;
}

function usage(problem: string): number {
  console.error(`linli-hub: ${problem}\n`);
  console.error(CITY_USAGE);
  return 64;
}
