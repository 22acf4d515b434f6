import { type Api, ApiFailure } from './api.js';

/** Why a record is unmasked: the hub's fixed list (people/types.ts UNMASK_REASONS), with what a person reads. */
export const UNMASK_REASON_LABELS = {
  welfare_visit: '上门探访 (welfare visit)',
  emergency: '紧急情况 (emergency)',
  data_correction: '信息更正 (data correction)',
  service_delivery: '服务派送 (service delivery)',
} as const;
export type UnmaskReason = keyof typeof UNMASK_REASON_LABELS;

/**
 * Runs `call`; when the hub answers STEP_UP_REQUIRED, asks the person for the
 * 6-digit code (`ask`, null when they cancel), sends it to /api/step-up and
 * runs `call` once more. A wrong code asks again (the hub counts the failures
 * and locks the account after five). Every other refusal, with its code, goes
 * to the caller unchanged: the hub decides, the cockpit only asks.
 */
export async function withStepUp<T>(
  api: Pick<Api, 'post'>,
  call: () => Promise<T>,
  ask: (problem: string | null) => Promise<string | null>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.code !== 'STEP_UP_REQUIRED') throw err;
  }
  let problem: string | null = null;
  for (;;) {
    const code = await ask(problem);
    if (code === null) throw new ApiFailure(0, 'STEP_UP_CANCELLED', '已取消 (cancelled)');
    try {
      await api.post('/api/step-up', { totp: code });
      break;
    } catch (err) {
      if (!(err instanceof ApiFailure) || err.code !== 'TOTP_INVALID') throw err;
      problem = err.message;
    }
  }
  return call();
}

/** One record in full, for a stated reason, asking for the code when the hub wants a fresh one. */
export function unmaskRecord<R>(
  api: Pick<Api, 'post'>,
  id: string,
  reason: UnmaskReason,
  ask: (problem: string | null) => Promise<string | null>,
): Promise<{ record: R }> {
  return withStepUp(
    api,
    () => api.post<{ record: R }>(`/api/population/records/${encodeURIComponent(id)}/unmask`, { reason }),
    ask,
  );
}
