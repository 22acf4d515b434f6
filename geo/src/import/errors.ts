import { LinliError } from '@linli/contract';

/** One problem found while importing; `featureIndex` is 0-based (null for the whole file). */
export interface ImportIssue {
  featureIndex: number | null;
  /** Machine-readable kind, e.g. `self-intersection`, `missing-property`, `crs-unknown`. */
  kind: string;
  /** Chinese first, then English: "第 3 个要素：多边形自相交 / feature 3: polygon self-intersects". */
  message: string;
  /** The two halves of `message`. */
  zh?: string;
  en?: string;
}

/** Prefix naming a feature the way a person counts them (1-based), in both languages. */
export function featureLabel(index: number | null): { zh: string; en: string } {
  return index === null ? { zh: '', en: '' } : { zh: `第 ${index + 1} 个要素：`, en: `feature ${index + 1}: ` };
}

export function importIssue(featureIndex: number | null, kind: string, zh: string, en: string): ImportIssue {
  const label = featureLabel(featureIndex);
  return { featureIndex, kind, message: `${label.zh}${zh} / ${label.en}${en}`, zh: label.zh + zh, en: label.en + en };
}

/** Input that cannot be imported. Lists every problem found, not just the first. */
export class ImportError extends LinliError {
  readonly source: string;
  readonly issues: ImportIssue[];
  constructor(source: string, issues: ImportIssue[], options?: { cause?: unknown }) {
    super('IMPORT', `导入失败 import failed: ${source}\n  ${issues.map((i) => i.message).join('\n  ')}`, options);
    this.source = source;
    this.issues = issues;
  }

  /** The first problem's feature index, for callers that handle one at a time. */
  get featureIndex(): number | null {
    return this.issues[0]?.featureIndex ?? null;
  }
}

/** Throws a one-issue ImportError; for problems with the file as a whole. */
export function fail(source: string, kind: string, zh: string, en: string, cause?: unknown): never {
  throw new ImportError(source, [importIssue(null, kind, zh, en)], cause === undefined ? undefined : { cause });
}
