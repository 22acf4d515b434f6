import {
  type Command,
  type CommandReply,
  DEVICE_COMMANDS,
  type ErrorCode,
  LinliError,
  validators,
} from '@linli/contract';
import type { DeviceHandle } from '@linli/drivers';
import type { Logger } from '../log.js';

export type CommandHandler = (cmd: Command) => Promise<Record<string, unknown>>;

/** Replies kept for repeated deliveries of the same command id (the hub may resend after a reconnect). */
const REMEMBER = 1000;

/**
 * Runs hub commands on this gateway: refuses expired ones (never act late),
 * answers a repeated command id with the first reply instead of acting twice,
 * sends device commands to the device's driver and gateway-wide ones
 * (`flows.apply`, `diagnostics`) to the handler registered for them.
 */
export class CommandRouter {
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly replies = new Map<string, Promise<CommandReply>>();

  constructor(
    private readonly devices: (id: string) => DeviceHandle | undefined,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  register(name: string, handler: CommandHandler): void {
    this.handlers.set(name, handler);
  }

  handle(input: unknown): Promise<CommandReply> {
    const checked = validators.command.check(input);
    if (!checked.ok)
      return Promise.resolve(
        failure('INVALID_COMMAND', checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')),
      );
    const cmd = checked.value;
    const seen = this.replies.get(cmd.id);
    if (seen) return seen;
    const reply = this.run(cmd);
    this.replies.set(cmd.id, reply);
    if (this.replies.size > REMEMBER) this.replies.delete(this.replies.keys().next().value!);
    return reply;
  }

  private async run(cmd: Command): Promise<CommandReply> {
    const log = this.log.child({ command: cmd.id, name: cmd.name, issuedBy: cmd.issuedBy, device: cmd.deviceId });
    if (this.now() > cmd.expiresAt) {
      log.warn({ expiresAt: cmd.expiresAt }, 'command refused: expired');
      return failure('EXPIRED', `command ${cmd.id} expired at ${new Date(cmd.expiresAt).toISOString()}`);
    }
    try {
      let result: Record<string, unknown>;
      if (DEVICE_COMMANDS.has(cmd.name)) {
        if (!cmd.deviceId) throw new LinliError('INVALID_COMMAND', `${cmd.name} needs a deviceId`);
        const h = this.devices(cmd.deviceId);
        if (!h) throw new LinliError('NOT_FOUND', `no device ${cmd.deviceId} on this gateway`);
        if (!h.command) throw new LinliError('UNSUPPORTED', `device ${cmd.deviceId} takes no commands`);
        result = await h.command(cmd.name, cmd.args);
      } else {
        const handler = this.handlers.get(cmd.name);
        if (!handler) throw new LinliError('UNSUPPORTED', `this gateway does not handle ${cmd.name}`);
        result = await handler(cmd);
      }
      log.info('command done');
      return { ok: true, result };
    } catch (err) {
      // A LinliError's code says which fault domain failed (error-codes.ts); anything else escaped our own checks.
      const code = err instanceof LinliError ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ code, error: message }, 'command failed');
      return failure(code, message);
    }
  }
}

function failure(code: ErrorCode, message: string): CommandReply {
  return { ok: false, error: { code, message } };
}
