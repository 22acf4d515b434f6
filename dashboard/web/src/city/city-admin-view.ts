import type { Boot } from '../boot.js';
import { t } from '../i18n.js';
import { type CityJob, type CityVersionRow, type Orphan, CityAdminApi } from './city-admin-api.js';

const COVERAGE_STATE: Record<string, [string, string]> = {
  none: ['无设施，未计算', 'no facilities, not computed'],
  computing: ['计算中', 'computing'],
  ready: ['已完成', 'ready'],
  failed: ['计算失败（见日志）', 'failed (see the log)'],
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The administrator's city page (/city): upload the area, facility and road
 * files with the fields that hold codes and names, watch the import's
 * progress, read the validation report and the diff against the active city,
 * see what would lose its area, and activate.
 */
export async function cityAdminView(b: Boot): Promise<void> {
  const api = new CityAdminApi(b.key);
  document.getElementById('app')!.innerHTML = `
    <header class="topbar">
      <div class="title"><span class="logo">邻里</span> ${t('城市数据', 'City data')}</div>
      <div class="status"><a class="nav" href="/">${t('驾驶舱', 'Cockpit')}</a></div>
    </header>
    <main class="city-admin">
      <section class="city-upload">
        <h2>${t('导入城市数据', 'Import city data')}</h2>
        <form id="city-form">
          <label>${t('文件（GeoJSON / KML / Shapefile 压缩包，可多选）', 'Files (GeoJSON, KML, zipped Shapefile; several allowed)')}
            <input type="file" name="files" multiple accept=".geojson,.json,.kml,.zip" required /></label>
          <label>${t('版本名称', 'Version name')} <input name="name" required maxlength="100" /></label>
          <label>${t('编码字段', 'Code field')} <input name="code" placeholder="code / 编码 / CODE" /></label>
          <label>${t('名称字段', 'Name field')} <input name="nameField" placeholder="name / 名称 / NAME" /></label>
          <label>${t('层级字段', 'Level field')} <input name="level" placeholder="${t('可空：按编码长度', 'optional: from the code length')}" /></label>
          <label>${t('设施类型字段', 'Facility kind field')} <input name="facilityKind" placeholder="kind / 类型" /></label>
          <label>${t('坐标系', 'Coordinates')} <select name="crs">
            <option value="">${t('按文件声明', 'as the file says')}</option><option value="WGS84">WGS-84 / CGCS2000</option>
            <option value="GCJ02">GCJ-02（高德/腾讯）</option><option value="BD09">BD-09（百度）</option></select></label>
          <label class="check"><input type="checkbox" name="dryRun" /> ${t('仅校验，不保存', 'Check only, store nothing')}</label>
          <button type="submit">${t('上传并导入', 'Upload and import')}</button>
        </form>
        <progress id="city-progress" max="1" value="0" hidden></progress>
        <p id="city-stage" class="city-stage"></p>
        <section id="city-report" class="city-report"></section>
      </section>
      <section class="city-versions">
        <h2>${t('城市版本', 'City versions')}</h2>
        <p id="city-coverage"></p>
        <table><thead><tr><th>#</th><th>${t('名称', 'Name')}</th><th>${t('状态', 'Status')}</th><th>${t('面域', 'Areas')}</th><th></th></tr></thead><tbody id="city-list"></tbody></table>
        <section id="city-activate" class="city-activate"></section>
      </section>
    </main>`;
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

  async function refresh(): Promise<void> {
    const r = await api.versions();
    const cov = r.coverage;
    $('city-coverage').textContent =
      r.active === null
        ? t('尚未启用城市', 'No active city')
        : `${t('当前启用版本', 'Active version')} ${r.active} · ${t('15分钟覆盖', '15-min coverage')}: ${COVERAGE_STATE[cov.state] ? t(...COVERAGE_STATE[cov.state]!) : cov.state}${cov.state === 'computing' ? ` ${Math.round(cov.progress * 100)}%` : ''}`;
    $('city-list').innerHTML = r.versions
      .map(
        (v: CityVersionRow) =>
          `<tr data-version="${v.id}"><td>${v.id}${v.active ? ' ★' : ''}</td><td>${esc(v.name)}${v.demo ? `（${t('示意数据', 'demo')}）` : ''}</td>` +
          `<td>${v.status === 'valid' ? t('有效', 'valid') : t('校验未通过', 'failed')}</td><td>${v.areaCount}</td>` +
          `<td>${v.status === 'valid' && !v.active ? `<button type="button" data-check="${v.id}">${t('检查并启用', 'Check and activate')}</button>` : ''}</td></tr>`,
      )
      .join('');
  }

  function showJob(job: CityJob): void {
    const p = job.progress;
    const bar = $<HTMLProgressElement>('city-progress');
    bar.hidden = false;
    bar.value = job.state === 'running' ? (p && p.total ? p.done / p.total : 0.05) : 1;
    $('city-stage').textContent = job.state === 'running' ? (p?.label ?? '') : (job.error ?? '');
    if (job.state !== 'done' || !job.report) return;
    const r = job.report;
    const c = r.counts;
    const issues = r.issues
      .map(
        (i) => `<li class="${i.severity}">[${esc(i.kind)}] ${esc(i.file ? `${i.file}: ` : '')}${esc(i.message)}</li>`,
      )
      .join('');
    const d = job.diff;
    const diff = d
      ? `<h3>${t('与当前版本的差异', 'Changes from the active version')}</h3><p>${t('新增', 'added')} ${d.added.length} · ${t('删除', 'removed')} ${d.removed.length} · ${t('更名', 'renamed')} ${d.renamed.length} · ${t('边界变化', 'reshaped')} ${d.reshaped.length}</p>
         <ul class="city-diff">${[
           ...d.added.map((x) => `<li>+ ${x.code} ${esc(x.name)}</li>`),
           ...d.removed.map((x) => `<li>− ${x.code} ${esc(x.name)}</li>`),
           ...d.renamed.map((x) => `<li>~ ${x.code} ${esc(x.from)} → ${esc(x.to)}</li>`),
           ...d.reshaped.map((x) => `<li># ${x.code} ${esc(x.name)}</li>`),
         ]
           .slice(0, 200)
           .join('')}</ul>`
      : '';
    $('city-report').innerHTML =
      `<h3 class="${r.ok ? 'ok' : 'failed'}">${r.ok ? t('校验通过', 'Valid') : t('校验未通过', 'Invalid')}${job.versionId ? ` · ${t('版本', 'version')} ${job.versionId}` : job.dryRun ? ` · ${t('未保存', 'not stored')}` : ''}</h3>
      <p>${t('市', 'city')} ${c.city ?? 0} · ${t('区县', 'districts')} ${c.district ?? 0} · ${t('街道', 'streets')} ${c.street ?? 0} · ${t('社区', 'communities')} ${c.community ?? 0} · ${t('网格', 'grids')} ${c.grid ?? 0} · ${t('设施', 'facilities')} ${c.facilities ?? 0} · ${t('道路', 'roads')} ${c.roads ?? 0}</p>
      <ul class="city-summary">${r.summary.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
      <ol class="city-issues">${issues}</ol>${diff}`;
  }

  $<HTMLFormElement>('city-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.target as HTMLFormElement;
    const val = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    const files = [...((f.elements.namedItem('files') as HTMLInputElement).files ?? [])];
    void (async () => {
      $('city-report').innerHTML = '';
      $('city-stage').textContent = t('上传中…', 'uploading…');
      const uploads: string[] = [];
      for (const file of files) uploads.push(await api.upload(file));
      const mapping = Object.fromEntries(
        [
          ['code', val('code')],
          ['name', val('nameField')],
          ['level', val('level')],
          ['facilityKind', val('facilityKind')],
        ].filter(([, v]) => v),
      );
      const job = await api.startImport({
        uploads,
        name: val('name'),
        ...(Object.keys(mapping).length ? { mapping } : {}),
        ...(val('crs') ? { crs: val('crs') } : {}),
        dryRun: (f.elements.namedItem('dryRun') as HTMLInputElement).checked,
      });
      for (;;) {
        const j = await api.job(job);
        showJob(j);
        if (j.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await refresh();
    })().catch((err: unknown) => ($('city-stage').textContent = String(err instanceof Error ? err.message : err)));
  });

  $('city-list').addEventListener('click', (ev) => {
    const id = Number((ev.target as HTMLElement).dataset.check);
    if (id) void showActivation(id);
  });

  async function showActivation(id: number): Promise<void> {
    const orphans = await api.orphans(id);
    const box = $('city-activate');
    const rows = orphans
      .map(
        (o: Orphan) =>
          `<li>${esc(o.kind)} ${o.code} ×${o.count}${o.ids.length ? ` (${o.ids.map(esc).join(', ')})` : ''}
           → <input data-old="${o.code}" placeholder="${t('新编码', 'new code')}" pattern="[0-9]{6,15}" /></li>`,
      )
      .join('');
    box.innerHTML = `<h3>${t('启用版本', 'Activate version')} ${id}</h3>
      ${
        orphans.length
          ? `<p>${t('以下数据所属区域在该版本中不存在：请填写迁移到的新编码，或明确接受', 'These rows name areas this version lacks: give each a new code, or accept them')}</p><ol class="city-orphans">${rows}</ol>
      <label class="check"><input type="checkbox" id="accept-orphans" /> ${t('接受未迁移的数据（将失去区域）', 'Accept the rows left unmoved (they lose their area)')}</label>`
          : `<p>${t('没有数据会失去所属区域', 'Nothing loses its area')}</p>`
      }
      <button type="button" id="activate-now">${t('启用', 'Activate')}</button><p id="activate-result"></p>`;
    $('activate-now').addEventListener('click', () => {
      const reassign = Object.fromEntries(
        [...box.querySelectorAll<HTMLInputElement>('input[data-old]')]
          .filter((i) => i.value.trim())
          .map((i) => [i.dataset.old!, i.value.trim()]),
      );
      const accept = document.querySelector<HTMLInputElement>('#accept-orphans')?.checked ?? false;
      void api.activate(id, reassign, accept).then(
        async (r) => {
          $('activate-result').textContent = r.ok
            ? t(`已启用，迁移 ${r.moved} 行`, `Active; ${r.moved} row(s) moved`)
            : `${r.error?.message ?? ''}`;
          await refresh();
        },
        (err: unknown) => ($('activate-result').textContent = String(err)),
      );
    });
  }

  await refresh();
}
