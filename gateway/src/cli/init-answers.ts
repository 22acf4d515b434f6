import { ID_PATTERN } from '@linli/contract';

/** Everything `init` needs to write a config. */
export interface InitAnswers {
  hub: string;
  community: string;
  gatewayId: string;
  name?: string;
  dataDir: string;
  /** Where the gateway box stands; from the hub's map when online, typed otherwise. */
  location?: { lng: number; lat: number; gridId: string };
  httpPort: number;
  /** The local page / flow editor password: only its bcrypt hash is written (never rendered into the config). */
  localPassword?: string;
}

/** A community from the hub's area tree, with a point inside it and its first grid. */
export interface Community {
  code: string;
  name: string;
  center: { lng: number; lat: number } | null;
  firstGrid: string | null;
}

/** Each check returns an error message (zh then en), or null when the answer is fine. */
export const check = {
  hub: (v: string) =>
    /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v)
      ? null
      : '中心地址应形如 http://hub.example:8080 (hub address: http(s)://host[:port])',
  community: (v: string, known?: Community[]) =>
    !/^\d{12}$/.test(v)
      ? '社区编码为 12 位数字 (community code: 12 digits)'
      : known?.length && !known.some((c) => c.code === v)
        ? '该社区不在您的辖区内 (not a community in your area on the hub)'
        : null,
  gatewayId: (v: string) =>
    new RegExp(ID_PATTERN).test(v)
      ? null
      : '网关编号: 小写字母、数字、.-_ (gateway id: lowercase letters, digits, . - _)',
  dataDir: (v: string) => (v.trim() ? null : '请输入数据目录 (give a data directory)'),
  lngLat: (v: string) => {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
    if (!m) return '经度,纬度 如 116.98,33.64 (lng,lat e.g. 116.98,33.64)';
    const [lng, lat] = [Number(m[1]), Number(m[2])];
    return Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? null : '坐标超出范围 (out of range)';
  },
  grid: (v: string, community: string) =>
    /^\d{15}$/.test(v) && v.startsWith(community)
      ? null
      : `网格编码为 15 位且以 ${community} 开头 (grid: 15 digits inside the community)`,
};

/** The communities an installer may pick, from GET /api/areas (GeoJSON, already cut to their area). */
export async function fetchCommunities(hub: string, token: string): Promise<Community[]> {
  const res = await fetch(new URL('/api/areas', hub), {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(8000),
  });
  if (!res.ok)
    throw new Error(
      `the hub answered HTTP ${res.status} for /api/areas${res.status === 401 ? ' (token expired? log in again)' : ''}`,
    );
  const fc = (await res.json()) as {
    features: {
      properties: { code: string; name: string; level: string };
      geometry?: { coordinates?: number[][][] };
    }[];
  };
  const grids = fc.features
    .filter((f) => f.properties.level === 'grid')
    .map((f) => f.properties.code)
    .sort();
  return fc.features
    .filter((f) => f.properties.level === 'community')
    .map((f) => {
      const ring = f.geometry?.coordinates?.[0] ?? [];
      // The mean of the ring's corners: inside for the convex-ish polygons of a community; the installer can move it.
      const pts = ring.slice(0, -1);
      const center = pts.length
        ? {
            lng: Math.round((pts.reduce((s, p) => s + p[0]!, 0) / pts.length) * 1e6) / 1e6,
            lat: Math.round((pts.reduce((s, p) => s + p[1]!, 0) / pts.length) * 1e6) / 1e6,
          }
        : null;
      return {
        code: f.properties.code,
        name: f.properties.name,
        center,
        firstGrid: grids.find((g) => g.startsWith(f.properties.code)) ?? null,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** The config file `init` writes: every section explained, no secret in it. */
export function renderConfig(a: InitAnswers): string {
  const loc = a.location
    ? `  # 网关安装位置 where the box is (used for events about the gateway itself)
  location: { lng: ${a.location.lng}, lat: ${a.location.lat}, gridId: "${a.location.gridId}" }
`
    : `  # 网关安装位置 where the box is; needed before \`discover --append\` can place devices:
  # location: { lng: 116.98, lat: 33.64, gridId: "${a.community}001" }
`;
  return `# 邻里网关配置 Linli gateway configuration
# Written by \`linli-gateway init\` on ${new Date().toISOString().slice(0, 10)}.
# Check it with \`linli-gateway config validate <this file>\`; devices are added by
# \`linli-gateway discover ... --append <this file> --grid <grid>\` or by hand.
version: 1

gateway:
  # 网关编号 unique on the hub; the enrollment code is issued for this id
  id: ${a.gatewayId}
${a.name ? `  name: "${a.name.replace(/["\\]/g, '')}"\n` : ''}  # 所属社区 12-digit community code
  community: "${a.community}"
${loc}
# 数据目录 the buffer (events waiting for the hub) lives here; relative to this file unless absolute
dataDir: ${JSON.stringify(a.dataDir)}

hub:
  # 指挥中心地址 the hub this gateway reports to
  url: ${a.hub}
  # 网关凭据 written by \`linli-gateway enroll\` (mode 0600); the token never goes in this file
  tokenFile: ${JSON.stringify(`${a.dataDir.replace(/\/$/, '')}/gateway.token`)}

buffer:
  # full: every event is on disk before it counts as taken (safe on power cuts)
  synchronous: full

# 本地状态接口 /healthz and /metrics for \`linli-gateway status\` and monitoring; loopback only
http:
  host: 127.0.0.1
  port: ${a.httpPort}

# 本地规则与本地网页 local rules (Node-RED) run always; the local page (/local) and the flow editor
# (/admin/flows) open only with this password's bcrypt hash in place (init writes it, or later:
# \`linli-gateway flows set-password --config <this file>\`). There is no default password.
flows:
  passwordFile: ./flows.password

# 设备 devices
devices: []
`;
}
