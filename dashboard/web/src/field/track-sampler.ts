/** One position from the browser's geolocation. */
export interface Fix {
  at: number;
  lng: number;
  lat: number;
  accuracy?: number;
}

export interface SamplerOptions {
  /** Keep a fix once the worker has moved this far (metres) … */
  minDistanceM: number;
  /** … or this long has passed (ms), even standing still. */
  maxIntervalMs: number;
  /** Never two fixes closer in time than this (GPS jitter while walking). */
  minIntervalMs: number;
  /** While the page is hidden (phone in the pocket) distances and intervals are multiplied by this. */
  hiddenFactor: number;
  /** Fixes less accurate than this (metres) are dropped. */
  maxAccuracyM: number;
}

export const DEFAULT_SAMPLER: SamplerOptions = {
  minDistanceM: 25,
  maxIntervalMs: 60_000,
  minIntervalMs: 5_000,
  hiddenFactor: 4,
  maxAccuracyM: 100,
};

/** Metres between two points (haversine). */
export function metres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Decides which geolocation fixes become track points: distance- and
 * time-based (≥ 25 m or ≥ 60 s by default), thinner while the page is
 * hidden, so a cheap phone's battery and data last a working day.
 */
export class TrackSampler {
  private last: Fix | null = null;
  constructor(private readonly o: SamplerOptions = DEFAULT_SAMPLER) {}

  /** True when `fix` should be kept (and it becomes the reference for the next). */
  offer(fix: Fix, hidden = false): boolean {
    if (!Number.isFinite(fix.lng) || !Number.isFinite(fix.lat)) return false;
    if (fix.accuracy !== undefined && fix.accuracy > this.o.maxAccuracyM) return false;
    const prev = this.last;
    if (prev) {
      const dt = fix.at - prev.at;
      if (dt < this.o.minIntervalMs) return false;
      const k = hidden ? this.o.hiddenFactor : 1;
      if (metres(prev, fix) < this.o.minDistanceM * k && dt < this.o.maxIntervalMs * k) return false;
    }
    this.last = fix;
    return true;
  }

  reset(): void {
    this.last = null;
  }
}
