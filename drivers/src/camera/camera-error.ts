import { type ErrorCode, FieldFault, LinliError } from '@linli/contract';

/**
 * The steps of bringing a camera up, in order. An installer fixes each one
 * in a different place (address, credentials, the camera's media settings,
 * its RTSP port, its snapshot service), so a failure names its step.
 */
export type CameraStep = 'onvif' | 'login' | 'profiles' | 'stream-uri' | 'stream' | 'snapshot';

/** What each step is called where a person reads it (Chinese first). */
export const STEP_LABEL: Record<CameraStep, string> = {
  onvif: 'ONVIF 服务 service',
  login: '登录 login',
  profiles: '媒体配置 media profiles',
  'stream-uri': '取流地址 stream URI',
  stream: '视频流 video stream',
  snapshot: '抓图 snapshot',
};

/** A camera failed at one step; `code` is the underlying fault's (AUTH, TIMEOUT, STREAM, ONVIF …). */
export class CameraStepError extends FieldFault {
  constructor(
    readonly step: CameraStep,
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Tags an error with the step it happened in (keeping its code and message); a tagged one keeps its first step. */
export function atStep(step: CameraStep, err: unknown): CameraStepError {
  if (err instanceof CameraStepError) return err;
  const code = err instanceof LinliError ? err.code : 'ONVIF';
  const message = err instanceof Error ? err.message : String(err);
  return new CameraStepError(step, code, message, { cause: err });
}

/** Codes meaning the camera did not answer at all (as opposed to answering with a refusal). */
const UNANSWERED = new Set(['UNREACHABLE', 'TIMEOUT', 'CLOSED']);

/** True when the camera (or the network to it) gave no answer: the session is over, not just one request. */
export function unanswered(err: unknown): boolean {
  return err instanceof LinliError && UNANSWERED.has(err.code);
}
