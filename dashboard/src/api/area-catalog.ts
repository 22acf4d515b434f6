import type { AreaTree } from '@linli/geo';
import { toGeoJson } from '@linli/geo';
import { inScope } from '@linli/contract';

type Feature = ReturnType<typeof toGeoJson>['features'][number];

/**
 * The area tree as the API serves it: a user gets the areas inside their own
 * and the chain of ancestors above it (for the breadcrumb), never siblings.
 */
export class AreaCatalog {
  private readonly features: Feature[];
  readonly codes: ReadonlySet<string>;

  constructor(tree: AreaTree) {
    this.features = toGeoJson(tree).features;
    this.codes = new Set(tree.areas.map((a) => a.code));
  }

  /**
   * `under`: only that area and those inside it, of what the viewer may see (a subset of the whole answer, so any
   * code is safe to ask for): the cockpit fetches one community's rings at a time instead of the city's.
   */
  visibleTo(areaCode: string, under?: string): { type: 'FeatureCollection'; features: Feature[] } {
    const code = (f: Feature) => (f.properties as { code: string }).code;
    return {
      type: 'FeatureCollection',
      features: this.features.filter(
        (f) =>
          (inScope(areaCode, code(f)) || inScope(code(f), areaCode)) &&
          (under === undefined || code(f) === under || inScope(under, code(f))),
      ),
    };
  }

  exists(code: string): boolean {
    return this.codes.has(code);
  }
}
