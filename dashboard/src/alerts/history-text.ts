import { timedPhase } from './state-machine.js';
import { type HistoryEntry, SYSTEM_ACTOR } from './types.js';

/** A history entry as people read it: who by name, and what happened in Chinese. */
export interface HistoryView extends HistoryEntry {
  /** The actor's display name and username, or 系统 for the hub itself. */
  actorName: string;
  /** What the hub did (in Chinese, from the entry's fields), or the note a person wrote. */
  text: string | null;
}

/** The name a person is shown by: 显示名（username）. */
export interface ActorNames {
  byId(id: string): Promise<{ displayName: string; username: string } | null>;
}

const VERB: Record<string, string> = { dispatchMs: '派发', acknowledgeMs: '签收', resolveMs: '办结' };

/**
 * The hub's own entries carry a technical English note (gateway, device and
 * event ids) for the record; people are shown a Chinese sentence built from
 * the entry's structured fields instead, never from that note. A person's
 * entry shows the note they wrote.
 */
export function systemText(h: HistoryEntry): string | null {
  switch (h.action) {
    case 'raise':
      return '设备报警，系统产生告警';
    case 'suppress':
      return '报警发生在维护时段内，系统已自动屏蔽';
    case 'escalate': {
      const phase = h.from ? timedPhase(h.from) : null;
      return `超过${phase ? `${VERB[phase]}` : '处置'}时限，系统升级为第 ${h.level} 级`;
    }
    case 'source_cleared':
      return '设备报告情况已恢复；告警仍须人工办结';
    default:
      return h.note;
  }
}

/** Names every actor once (a handful per alert) and words each entry. */
export async function describeHistory(history: HistoryEntry[], names: ActorNames): Promise<HistoryView[]> {
  const ids = [...new Set(history.map((h) => h.actor).filter((a) => a !== SYSTEM_ACTOR))];
  const found = new Map<string, string>();
  for (const id of ids) {
    const u = await names.byId(id);
    found.set(id, u ? (u.displayName === u.username ? u.username : `${u.displayName}（${u.username}）`) : '未知用户');
  }
  return history.map((h) =>
    h.actor === SYSTEM_ACTOR
      ? { ...h, actorName: '系统', text: systemText(h) }
      : { ...h, actorName: found.get(h.actor) ?? '未知用户', text: h.note },
  );
}
