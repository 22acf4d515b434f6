import type { Layer, PickingInfo } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap } from 'maplibre-gl';
import type { Bounds } from './area-tree.js';
import type { AreaCollection } from './hub-client.js';
import { communityLabels, createCommunityLabelsLayer } from './layers/community-labels-layer.js';
import { addAreaLayers } from './map/area-layers.js';
import { applyTheme, basemapStyle, type BasemapInfo, type Theme } from './map/basemap-style.js';
import { mapFontFaces } from './map/map-fonts.js';

export interface StageOptions {
  host: HTMLElement;
  areas: AreaCollection;
  basemap: BasemapInfo | null;
  theme: Theme;
  bounds: Bounds;
  padding: { top: number; bottom: number; left: number; right: number };
  /** Keep the drawing buffer so the view can be exported as PNG (costs a little speed). */
  preserveDrawingBuffer?: boolean;
  interactive?: boolean;
  onClick?: (info: PickingInfo) => void;
  /** Called after a (re)created map is ready, so the caller can push its layers again. */
  onReady?: () => void;
}

/** How long a lost WebGL context may stay lost before the map is thrown away and built again. */
const RESTORE_GRACE_MS = 1500;

/**
 * The map and its deck.gl overlay (drawn inside MapLibre's WebGL context).
 * A wall display must survive a GPU reset: when the context is lost and not
 * restored, the whole stage is rebuilt in place with the same view and layers.
 */
export class Stage {
  map!: MapLibreMap;
  overlay!: MapLibreOverlay;
  recoveries = 0;
  contextLost = false;
  private layers: Layer[] = [];
  private container!: HTMLDivElement;
  private labels: Layer;
  private theme: Theme;

  constructor(private readonly o: StageOptions) {
    this.theme = o.theme;
    this.labels = createCommunityLabelsLayer(communityLabels(o.areas), o.theme);
  }

  async start(): Promise<void> {
    await this.build(null);
  }

  private async build(view: { center: [number, number]; zoom: number; bearing: number; pitch: number } | null) {
    this.container = document.createElement('div');
    this.container.className = 'stage-map';
    this.o.host.append(this.container);
    const map = new MapLibreMap({
      container: this.container,
      style: basemapStyle(this.theme, this.o.basemap, location.origin, mapFontFaces(location.origin)),
      localIdeographFontFamily: '"Noto Sans SC", sans-serif',
      ...(view ? view : { bounds: this.o.bounds, fitBoundsOptions: { padding: this.o.padding } }),
      attributionControl: false,
      interactive: this.o.interactive ?? true,
      canvasContextAttributes: { preserveDrawingBuffer: this.o.preserveDrawingBuffer ?? false },
    });
    this.map = map;
    await new Promise<void>((resolve) => map.once('load', () => resolve()));
    addAreaLayers(map, this.o.areas);
    applyTheme(map, this.theme, this.o.basemap?.schema ?? 'unknown');
    await document.fonts.load('700 18px "Noto Sans SC"', this.o.areas.features.map((f) => f.properties.name).join(''));
    this.overlay = new MapLibreOverlay({
      interleaved: true,
      layers: [...this.layers, this.labels],
      ...(this.o.onClick ? { onClick: this.o.onClick } : {}),
    });
    map.addControl(this.overlay);
    this.contextLost = false;
    map.on('webglcontextlost', () => {
      this.contextLost = true;
      setTimeout(() => {
        if (this.contextLost && this.map === map) void this.rebuild();
      }, RESTORE_GRACE_MS);
    });
    map.on('webglcontextrestored', () => {
      this.contextLost = false;
      this.overlay.setProps({ layers: [...this.layers, this.labels] });
    });
    this.o.onReady?.();
  }

  /** Throws the lost map away and builds a fresh one where it was looking. */
  private async rebuild(): Promise<void> {
    const old = this.map;
    const view = {
      center: old.getCenter().toArray() as [number, number],
      zoom: old.getZoom(),
      bearing: old.getBearing(),
      pitch: old.getPitch(),
    };
    const oldContainer = this.container;
    try {
      old.remove();
    } catch (err) {
      console.warn('removing the lost map failed', err);
    }
    oldContainer.remove();
    this.recoveries++;
    await this.build(view);
  }

  setLayers(layers: Layer[]): void {
    this.layers = layers;
    if (!this.contextLost) this.overlay?.setProps({ layers: [...layers, this.labels] });
  }

  setTheme(t: Theme): void {
    this.theme = t;
    applyTheme(this.map, t, this.o.basemap?.schema ?? 'unknown');
    this.labels = createCommunityLabelsLayer(communityLabels(this.o.areas), t);
    this.setLayers(this.layers);
  }

  fit(b: Bounds, duration = 800): void {
    this.map.fitBounds(b, { padding: this.o.padding, duration, maxZoom: 17 });
  }

  layerById(id: string): Layer | undefined {
    return this.layers.find((l) => l.id === id);
  }
}
