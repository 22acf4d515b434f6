import { cached, el, here } from '../field-api.js';
import type { Outbox } from '../outbox.js';
import { resizePhoto } from '../photo.js';

/** Report a matter (事项上传): category, photos resized on the phone, description, where I stand. */
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
  const where = el('p', { class: 'meta' }, '正在定位…');
  const msg = el('p', { class: 'msg', role: 'status' });
  let position: { lng: number; lat: number; accuracy: number } | null = null;
  void here().then((p) => {
    position = p;
    where.textContent = p
      ? `位置 ${p.lng.toFixed(5)}, ${p.lat.toFixed(5)}（±${p.accuracy} 米）`
      : '无法定位：请打开定位';
  });
  const form = el(
    'form',
    {
      class: 'card report',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!description.value.trim()) return void (msg.textContent = '请填写描述');
        position ??= await here();
        if (!position) return void (msg.textContent = '无法定位：请打开定位后再上报');
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
        msg.textContent = navigator.onLine ? '已提交' : '已保存，联网后自动上报';
      },
    },
    el('h2', {}, '事项上报'),
    el('label', {}, '类别', category),
    el('label', {}, '描述', description),
    el('label', { class: 'file' }, '拍照（最多 4 张）', photos),
    where,
    el('button', { type: 'submit', class: 'primary' }, '上报'),
    msg,
  );
  host.replaceChildren(form);
}
