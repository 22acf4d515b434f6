export interface NodeProblem {
  field: string;
  message: string;
}
export interface Vocabulary {
  kinds: readonly string[];
  severities: readonly string[];
}
export function checkNode(node: Record<string, unknown> & { type: string }, vocab: Vocabulary): NodeProblem[];
export function eventFilter(
  node: Record<string, unknown>,
  severities: readonly string[],
): (e: { kind: string; deviceId: string; severity: string; location: { gridId: string } }) => boolean;
export function renderText(template: unknown, msg: unknown): string;
export function parseArgs(v: unknown): Record<string, unknown>;
export const LINLI_TYPES: readonly string[];
export const COMMANDS: readonly string[];
export const MAX_TEXT: number;
export const ID: RegExp;
