import { ApiFailure } from '../api.js';
import { t } from '../i18n.js';

/**
 * The hub's refusals of a route, in words of the page's language. The hub's
 * own message (partly English: "points[1] lies 140 m outside the grid")
 * follows as the detail, so nothing it said is lost.
 */
const BY_CODE: Record<string, () => string> = {
  FIELD_TOO_FAR: () => t('签到点离网格太远（超出 100 米）', 'A check-in point lies more than 100 m outside the grid'),
  FIELD_NO_GRID: () => t('没有这个网格', 'There is no such grid'),
  NOT_FOUND: () => t('网格或路线不在您的辖区内，或已撤销', 'The grid or route is not in your area, or already retired'),
  FORBIDDEN: () => t('您的角色不能设置巡查路线', 'Your role may not define patrol routes'),
  INVALID_BODY: () => t('路线内容不完整或过长', 'The route is incomplete or too long'),
  RATE_LIMITED: () => t('操作太频繁，请稍后再试', 'Too many requests; try again shortly'),
};

export function routeErrorText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return `${t('无法连接中心', 'Could not reach the hub')}: ${String(err)}`;
  const words = BY_CODE[err.code]?.() ?? t('中心拒绝了该操作', 'The hub refused');
  return `${words} (${err.code}: ${err.message})`;
}

/** What the planner still has to do before saving (RouteDraft.toInput's `missing`). */
export const MISSING_TEXT = {
  name: () => t('请填写路线名称', 'Name the route'),
  points: () => t('请在地图上网格内点选签到点', 'Click check-in points inside the grid on the map'),
  'point-name': () => t('每个签到点都需要名称', 'Every check-in point needs a name'),
} as const;
