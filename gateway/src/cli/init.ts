import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { builtinRegistry } from '@linli/drivers';
import { parse } from 'yaml';
import { loadConfig } from '../config/load.js';
import { writePasswordHash } from '../flows/password.js';
import { check, type Community, fetchCommunities, type InitAnswers, renderConfig } from './init-answers.js';
import { Output, UsageError } from './output.js';

export interface InitOptions {
  json: boolean;
  config?: string;
  community?: string;
  hub?: string;
  'gateway-id'?: string;
  'gateway-name'?: string;
  'data-dir'?: string;
  answers?: string;
  'installer-token'?: string;
  /** A file holding the local page / flow editor password (for scripted installs). */
  'local-password-file'?: string;
  force?: boolean;
}

type Partial = { [K in keyof InitAnswers]?: InitAnswers[K] | undefined };

/**
 * `init`: writes a commented config. On a terminal it asks, one question at
 * a time, re-asking on a bad answer; otherwise the answers come from flags
 * or `--answers FILE` (YAML/JSON) and a missing one is an error, never a guess.
 * With an installer's token (`--installer-token` or LINLI_INSTALLER_TOKEN) and
 * the hub reachable, the community is picked from the hub's own list.
 */
export async function initCommand(o: InitOptions): Promise<number> {
  const out = new Output(o.json);
  const file = resolve(o.config ?? 'gateway.yaml');
  if (existsSync(file) && !o.force)
    throw new UsageError(`init: ${file} exists; use --force to replace it (or --config another path)`);
  const fromFile = o.answers ? (parse(readFileSync(o.answers, 'utf8')) as Record<string, unknown>) : {};
  const pick = (flag: string | undefined, key: string) => flag ?? (fromFile[key] as string | undefined);
  const given: Partial = {
    hub: pick(o.hub, 'hub'),
    community: pick(o.community, 'community'),
    gatewayId: pick(o['gateway-id'], 'gatewayId'),
    name: pick(o['gateway-name'], 'name'),
    dataDir: pick(o['data-dir'], 'dataDir'),
    httpPort: Number(fromFile.httpPort ?? 9100),
    ...(o['local-password-file'] ? { localPassword: readFileSync(o['local-password-file'], 'utf8').trim() } : {}),
  };
  const token =
    o['installer-token'] ?? process.env.LINLI_INSTALLER_TOKEN ?? (fromFile.installerToken as string | undefined);
  const interactive = Boolean(process.stdin.isTTY) && !o.json;
  const a = interactive ? await ask(given, token, out) : await fromFlags(given, token, out);
  const text = renderConfig(a);
  const tmp = `${file}.init.tmp`;
  writeFileSync(tmp, text);
  try {
    loadConfig(tmp, builtinRegistry()); // what init writes must pass validate, or nothing is written
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  if (a.localPassword) writePasswordHash(join(dirname(file), 'flows.password'), a.localPassword);
  out.line('');
  out.line(`已写入 wrote ${file}`);
  if (!a.localPassword)
    out.line(`  本地网页密码未设置 local page password not set: linli-gateway flows set-password --config ${file}`);
  out.line('下一步 next:');
  out.line(`  1. linli-gateway enroll --config ${file} --code <code from the cockpit>`);
  out.line(`  2. linli-gateway discover ... --append ${file} --grid <grid>`);
  out.line(`  3. linli-gateway test --config ${file}`);
  // The password never reaches the output, not even in --json.
  const shown: Partial = { ...a };
  delete shown.localPassword;
  out.result({ ok: true, file, answers: shown, localPassword: a.localPassword ? 'set' : 'not set' });
  return 0;
}

async function communitiesOrNull(hub: string, token: string | undefined, out: Output): Promise<Community[] | null> {
  if (!token) return null;
  try {
    const list = await fetchCommunities(hub, token);
    out.progress(`中心在线 hub online: ${list.length} communities in your area`);
    return list;
  } catch (err) {
    out.progress(`中心不可用，离线填写 hub not reachable, continuing offline: ${(err as Error).message}`);
    return null;
  }
}

function finish(g: Partial, known: Community[] | null, extra: { lngLat?: string; grid?: string } = {}): InitAnswers {
  const c = known?.find((x) => x.code === g.community);
  let location: InitAnswers['location'];
  if (extra.lngLat && extra.grid) {
    const [lng, lat] = extra.lngLat.split(',').map((s) => Number(s.trim()));
    location = { lng: lng!, lat: lat!, gridId: extra.grid };
  } else if (c?.center && c.firstGrid) location = { ...c.center, gridId: c.firstGrid };
  return {
    hub: g.hub!.replace(/\/$/, ''),
    community: g.community!,
    gatewayId: g.gatewayId!,
    ...(g.name ? { name: g.name } : {}),
    dataDir: g.dataDir!,
    ...(location ? { location } : {}),
    httpPort: g.httpPort ?? 9100,
    ...(g.localPassword ? { localPassword: g.localPassword } : {}),
  };
}

async function fromFlags(g: Partial, token: string | undefined, out: Output): Promise<InitAnswers> {
  const missing = (['hub', 'community', 'gatewayId', 'dataDir'] as const).filter((k) => !g[k]);
  if (missing.length)
    throw new UsageError(
      `init: not on a terminal, so give ${missing.map((k) => ({ hub: '--hub', community: '--community', gatewayId: '--gateway-id', dataDir: '--data-dir' })[k]).join(', ')} (or --answers FILE)`,
    );
  const known = await communitiesOrNull(g.hub!, token, out);
  const problems = [
    check.hub(g.hub!),
    check.community(g.community!, known ?? undefined),
    check.gatewayId(g.gatewayId!),
    check.dataDir(g.dataDir!),
  ].filter(Boolean);
  if (problems.length) throw new UsageError(`init: ${problems.join('; ')}`);
  return finish(g, known);
}

async function ask(g: Partial, token: string | undefined, out: Output): Promise<InitAnswers> {
  const screen = new Screen();
  const rl = createInterface({ input: process.stdin, output: screen, terminal: true });
  try {
    out.line('邻里网关初始化向导 Linli gateway setup — press Enter to accept [the default]');
    g.hub = await question(rl, '指挥中心地址 hub address', g.hub, check.hub);
    if (!token) {
      token =
        (await secret(rl, screen, '安装人员令牌 installer token from the cockpit (Enter = offline): ')) || undefined;
    }
    const known = await communitiesOrNull(g.hub, token, out);
    if (known?.length && !g.community) {
      known.forEach((c, i) => out.line(`  ${String(i + 1).padStart(2)}. ${c.code}  ${c.name}`));
      const n = await question(rl, '选择社区 pick the community (number)', undefined, (v) =>
        /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= known.length ? null : `1–${known.length}`,
      );
      g.community = known[Number(n) - 1]!.code;
    } else
      g.community = await question(rl, '社区编码 community code (12 digits)', g.community, (v) =>
        check.community(v, known ?? undefined),
      );
    g.gatewayId = await question(rl, '网关编号 gateway id', g.gatewayId ?? `gw-${g.community}-01`, check.gatewayId);
    g.name = (await question(rl, '网关名称 gateway name (optional)', g.name ?? '', () => null)) || undefined;
    g.dataDir = await question(rl, '数据目录 data directory', g.dataDir ?? '/var/lib/linli-gateway', check.dataDir);
    for (;;) {
      const pw = await secret(
        rl,
        screen,
        '本地网页密码 local page / flow editor password (10+ characters, Enter = set later): ',
      );
      if (!pw || pw.length >= 10) {
        if (pw) g.localPassword = pw;
        break;
      }
      process.stdout.write('  ✗ 密码至少 10 位 (at least 10 characters)\n');
    }
    const extra: { lngLat?: string; grid?: string } = {};
    if (!known?.some((c) => c.code === g.community && c.center)) {
      const ll = await question(rl, '网关位置 gateway position lng,lat (Enter to skip)', '', (v) =>
        v ? check.lngLat(v) : null,
      );
      if (ll) {
        extra.lngLat = ll;
        extra.grid = await question(rl, '所在网格 grid code (15 digits)', `${g.community}001`, (v) =>
          check.grid(v, g.community!),
        );
      }
    }
    return finish(g, known, extra);
  } finally {
    rl.close();
  }
}

/** The terminal as readline sees it; muted while a secret is typed. */
class Screen extends Writable {
  muted = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    if (!this.muted) process.stdout.write(chunk);
    done();
  }
}

/** Asks for a secret without echoing it: it is a credential, and people stand around a laptop in a plant room. */
async function secret(rl: Interface, screen: Screen, label: string): Promise<string> {
  process.stdout.write(label);
  screen.muted = true;
  try {
    return (await rl.question('')).trim();
  } finally {
    screen.muted = false;
    process.stdout.write('\n');
  }
}

/** Asks until the answer passes `valid`; Enter takes the default. */
async function question(
  rl: Interface,
  label: string,
  def: string | undefined,
  valid: (v: string) => string | null,
): Promise<string> {
  for (;;) {
    const raw = (await rl.question(`${label}${def ? ` [${def}]` : ''}: `)).trim();
    const v = raw || def || '';
    const problem = valid(v);
    if (!problem) return v;
    process.stdout.write(`  ✗ ${problem}\n`);
  }
}
