import type { OutboxStats } from './buffer/outbox.js';

export interface MetricsInput {
  gatewayId: string;
  buffer: OutboxStats;
  uplinkState: string;
  replayRate: number;
  devices: { id: string; online: boolean | null }[];
  now: number;
  /** Errors that escaped every handler (recorded by the run command's process guard). */
  escapedErrors?: number;
  droppedLogWrites?: number;
}

/** Prometheus text exposition (version 0.0.4) of the gateway's health. */
export function renderMetrics(m: MetricsInput): string {
  const g = `gateway="${m.gatewayId}"`;
  const b = m.buffer;
  const lines = [
    '# HELP linli_buffer_events Events in the buffer not yet acknowledged by the hub.',
    '# TYPE linli_buffer_events gauge',
    `linli_buffer_events{${g}} ${b.depth}`,
    '# HELP linli_buffer_bytes Bytes of buffered event bodies.',
    '# TYPE linli_buffer_bytes gauge',
    `linli_buffer_bytes{${g}} ${b.bytes}`,
    '# HELP linli_buffer_oldest_age_seconds Age of the oldest undelivered event.',
    '# TYPE linli_buffer_oldest_age_seconds gauge',
    `linli_buffer_oldest_age_seconds{${g}} ${b.oldestReceivedAt === null ? 0 : Math.max(0, (m.now - b.oldestReceivedAt) / 1000)}`,
    '# HELP linli_buffer_last_seq Last sequence number assigned.',
    '# TYPE linli_buffer_last_seq counter',
    `linli_buffer_last_seq{${g}} ${b.lastSeq}`,
    '# HELP linli_buffer_evicted_total Events evicted to make room, by class.',
    '# TYPE linli_buffer_evicted_total counter',
    `linli_buffer_evicted_total{${g},class="telemetry"} ${b.evictedTelemetry}`,
    `linli_buffer_evicted_total{${g},class="alarm"} 0`,
    '# HELP linli_buffer_refused_total Events refused because even eviction could not make room, by class.',
    '# TYPE linli_buffer_refused_total counter',
    `linli_buffer_refused_total{${g},class="alarm"} ${b.refusedAlarms}`,
    `linli_buffer_refused_total{${g},class="telemetry"} ${b.refusedTelemetry}`,
    '# HELP linli_buffer_disk_full 1 while the filesystem is full and the buffer runs on released reserve.',
    '# TYPE linli_buffer_disk_full gauge',
    `linli_buffer_disk_full{${g}} ${b.diskFull ? 1 : 0}`,
    '# HELP linli_uplink_up 1 while the hub link is online.',
    '# TYPE linli_uplink_up gauge',
    `linli_uplink_up{${g}} ${m.uplinkState === 'online' ? 1 : 0}`,
    '# HELP linli_uplink_replay_events_per_second Events per second acknowledged by the hub (last 10 s).',
    '# TYPE linli_uplink_replay_events_per_second gauge',
    `linli_uplink_replay_events_per_second{${g}} ${m.replayRate}`,
    '# HELP linli_process_escaped_errors_total Exceptions and rejections nothing else handled (the gateway carried on).',
    '# TYPE linli_process_escaped_errors_total counter',
    `linli_process_escaped_errors_total{${g}} ${m.escapedErrors ?? 0}`,
    '# HELP linli_log_dropped_writes_total Log writes that failed (stdout on a full disk) and were dropped.',
    '# TYPE linli_log_dropped_writes_total counter',
    `linli_log_dropped_writes_total{${g}} ${m.droppedLogWrites ?? 0}`,
    '# HELP linli_device_online 1 if the device answered its last polls.',
    '# TYPE linli_device_online gauge',
    ...m.devices.map((d) => `linli_device_online{${g},device="${d.id}"} ${d.online ? 1 : 0}`),
  ];
  return `${lines.join('\n')}\n`;
}
