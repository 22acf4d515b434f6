import type { Area } from '../types.js';
import type { GeometryIssueKind } from './geometry.js';

// The shapes the hierarchy and spatial checks share, apart from both so neither imports the other.

/** An area as validated here: `fullCover` says its children's shapes should tile it with no gap. */
export interface HierarchyArea extends Area {
  fullCover?: boolean;
}

export type HierarchyIssueKind =
  | 'duplicate-code'
  | 'bad-code'
  | 'code-prefix'
  | 'missing-parent'
  | 'parent-level'
  | 'root-parent'
  | 'empty-name'
  | 'duplicate-name'
  | 'missing-ring'
  | 'geometry'
  | 'outside-parent'
  | 'overlap'
  | 'gap';

export interface HierarchyIssue {
  /** The area at fault. */
  code: string;
  name: string;
  kind: HierarchyIssueKind;
  /** The other area involved (the overlapping sibling, the parent, the namesake). */
  other?: string;
  /** For `geometry`: which geometry check failed. */
  geometry?: GeometryIssueKind;
  /** "名称（编码）：问题", the Chinese half of `message`. */
  zh?: string;
  /** "name (code): problem", the English half of `message`. */
  en?: string;
  /** "名称（编码）：问题 / name (code): problem". */
  message: string;
}

/** How a check reports a problem with one area (Chinese first, then English). */
export type Report = (
  a: Area,
  kind: HierarchyIssueKind,
  zh: string,
  en: string,
  extra?: Partial<HierarchyIssue>,
) => void;
