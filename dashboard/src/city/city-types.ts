import type {
  Area,
  CityIssue as GeoCityIssue,
  CityReport as GeoCityReport,
  Home,
  ServiceType,
  StreetCollection,
} from '@linli/geo';

/** `valid`: may be activated; `failed`: kept with its report so the operator sees why, never activated. */
export type CityStatus = 'valid' | 'failed';

/**
 * One problem in an import: geo's issue (kind, severity, file, feature, "中文 / English").
 * Errors refuse activation; warnings are shown and allowed.
 */
export type CityIssue = GeoCityIssue;

/** geo's report (counts per level with facilities and roads, a summary per kind, every issue) and the homes used. */
export type CityReport = GeoCityReport & { homes: number };

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
