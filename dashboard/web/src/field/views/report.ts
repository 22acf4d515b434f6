import { cached, el, here } from '../field-api.js';
import type { Outbox } from '../outbox.js';
import { resizePhoto } from '../photo.js';
import { insideRing } from '../grid-frame.js';
import { gridSvg } from '../grid-svg.js';
import { loadGrids } from '../grids.js';

/**
 * Report a matter (事项上传): category, photos resized on the phone,
 * description, and where: the phone's fix, or a pin the worker taps on the
 * grid's small map when there is no fix or it is wrong (sent as source
 * 'pin'). The hub still assigns the grid from the position.
 */
export async function reportView(host: HTMLElement, outbox: Outbox): Promise<void> {
  const { value } = await cached('/api/field/config');
  const categories = value?.categories ?? ['安全隐患', '环境卫生', '矛盾纠纷', '设施损坏', '违停拥堵', '其他'];
  const category = el('select', { name: 'category' }, ...categories.map((c) => el('option', { value: c }, c)));
  const description = el('textarea', { name: 'description', rows: 4, maxLength: 1000, placeholder: '描述（必填）' });
  const photos = el('input', {
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    name: 'photos',
  });
  const where = el('p', { class: 'meta', 'data-source': 'none' }, '正在定位…');
  const msg = el('p', { class: 'msg', role: 'status' });
  const picker = el('div', { class: 'picker-host' });
  let fix: { lng: number; lat: number; accuracy: number } | null = null;
  let pin: { lng: number; lat: number } | null = null;
  let locating = true;
  const show = () => {
    where.dataset.source = pin ? 'pin' : fix ? 'gps' : 'none';
    where.textContent = pin
      ? `地图选点 ${pin.lng.toFixed(5)}, ${pin.lat.toFixed(5)}`
      : fix
        ? `定位 GPS ${fix.lng.toFixed(5)}, ${fix.lat.toFixed(5)}（±${fix.accuracy} 米）· 不准可在图上点选`
        : locating
          ? '正在定位…（也可在下方网格图上点选位置）'
          : '无法定位：请在下方网格图上点选位置';
  };
  const grids = await loadGrids();
  const gridList = [...grids.values()];
  const gridPick = el(
    'select',
    { name: 'grid', hidden: gridList.length < 2, onchange: () => drawGrid() },
    ...gridList.map((g) => el('option', { value: g.code }, g.name)),
  );
  // The grid to draw: the one the fix falls in, else the one chosen (a community worker has several).
  const drawGrid = () => {
    const g = grids.get(gridPick.value);
    if (!g) return picker.replaceChildren();
    const map = gridSvg(g.ring, pin ?? fix, `${g.name}：点击选点`, (p) => {
      if (!insideRing(p, g.ring)) return void (msg.textContent = '请点在网格范围内');
      pin = p;
      msg.textContent = '';
      map.setPoint(p, 'pin');
      show();
    });
    if (pin) map.setPoint(pin, 'pin');
    picker.replaceChildren(map);
  };
  drawGrid();
  show();
  void here().then((p) => {
    locating = false;
    fix = p;
    const inside = p && gridList.find((g) => insideRing(p, g.ring));
    if (inside && !pin) gridPick.value = inside.code;
    drawGrid();
    show();
  });
  const form = el(
    'form',
    {
      class: 'card report',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!description.value.trim()) return void (msg.textContent = '请填写描述');
        fix ??= pin ? null : await here();
        const position = pin ? { ...pin, source: 'pin' as const } : fix ? { ...fix, source: 'gps' as const } : null;
        if (!position) return void (msg.textContent = '无法定位：请打开定位，或在网格图上点选位置');
        msg.textContent = '正在处理照片…';
        const files = [...(photos.files ?? [])].slice(0, 4);
        const pics = await Promise.all(files.map((f) => resizePhoto(f)));
        await outbox.add({
          type: 'matter.report',
          category: category.value,
          description: description.value.trim(),
          position,
          ...(pics.length ? { photos: pics } : {}),
        });
        form.reset();
        pin = null;
        drawGrid();
        show();
        msg.textContent = navigator.onLine ? '已提交' : '已保存，联网后自动上报';
      },
    },
    el('h2', {}, '事项上报'),
    el('label', {}, '类别', category),
    el('label', {}, '描述', description),
    el('label', { class: 'file' }, '拍照（最多 4 张）', photos),
    gridPick,
    picker,
    where,
    el('button', { type: 'submit', class: 'primary' }, '上报'),
    msg,
  );
  host.replaceChildren(form);
}
