import type { Area, Home, ServiceType, StreetCollection } from '@linli/geo';

/** `valid`: may be activated; `failed`: kept with its report so the operator sees why, never activated. */
export type CityStatus = 'valid' | 'failed';

/** One problem in an import, always Chinese first then English ("中文 / English"). */
export interface CityIssue {
  /** Errors refuse activation; warnings are shown and allowed. */
  severity: 'error' | 'warning';
  /** Machine-readable kind: `overlap`, `gap`, `outside-parent`, `bad-code`, `duplicate-name`, `self-intersection`… */
  kind: string;
  /** The area (or facility) at fault, when there is one. */
  code?: string;
  /** The file the problem came from, when it belongs to one. */
  file?: string;
  message: string;
}

export interface CityReport {
  ok: boolean;
  /** Areas per level (city, district, street, community, grid). */
  counts: Record<string, number>;
  facilities: number;
  /** Line features of the walking network. */
  roads: number;
  homes: number;
  issues: CityIssue[];
}

/** Where a version came from: enough for an auditor to find the files again. */
export interface CitySource {
  files: {
    name: string;
    format: string;
    bytes: number;
    crs: string;
    crsReason: string;
    layer?: string;
    encoding?: string;
  }[];
  mapping: CityMapping;
  /** How homes were obtained: from the files, or sampled inside each grid (see docs/city-import.md). */
  homes: 'imported' | 'sampled' | 'none';
}

/** Which property holds what (docs/city-import.md, "The mapping file"). */
export interface CityMapping {
  code: string;
  name: string;
  level?: string;
  parent?: string;
  fullCover?: string;
  /** Facilities: the property with the kind (养老/卫生/食堂/便利/公园 or SERVICE_TYPES) and with the name. */
  facilityKind?: string;
  facilityName?: string;
}

/** A service facility as stored: `type` is the normalised service type when the kind fits one, else null. */
export interface CityFacility {
  id: string;
  name: string;
  /** The kind as the file said it. */
  kind: string;
  type: ServiceType | null;
  position: [number, number];
}

export interface CityVersionSummary {
  id: number;
  name: string;
  status: CityStatus;
  demo: boolean;
  areaCount: number;
  createdAt: number;
  createdBy: string;
  active: boolean;
}

export interface CityVersion extends CityVersionSummary {
  source: CitySource;
  report: CityReport;
}

/** What an import produces before it is stored. */
export interface CityDraft {
  name: string;
  demo: boolean;
  source: CitySource;
  report: CityReport;
  areas: Area[];
  facilities: CityFacility[];
  network: StreetCollection | null;
  homes: Home[];
}

/** The parts of a version the consumers use: its areas, and what coverage is computed from. */
export interface CityContent {
  areas: Area[];
  facilities: CityFacility[];
  network: StreetCollection | null;
  homes: Home[];
}
