import type { Layer, PickingInfo } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap } from 'maplibre-gl';
import type { AreaTree, Bounds } from './area-tree.js';
import type { GridTileSource } from './layers/grid-tiles-layer.js';
import {
  type Box,
  LABEL_MARGIN_PX,
  type LabelWish,
  type PlacedLabel,
  placeLabels,
  symbolBox,
} from './layers/label-placement.js';
import { areaNames, type NamedArea } from './layers/area-names.js';
import { mapLabelsLayer } from './layers/map-labels-layer.js';
import { addAreaLayers, areaTileAuth } from './map/area-layers.js';
import { applyTheme, basemapStyle, type BasemapInfo, type Theme } from './map/basemap-style.js';
import { mapFontFaces } from './map/map-fonts.js';

export interface StageOptions {
  host: HTMLElement;
  /** Area names and where they go (the tree's boxes and anchors). */
  tree: AreaTree;
  /** The hub's area tiles, for MapLibre's community fills and borders; null with no active city. */
  tiles: GridTileSource | null;
  basemap: BasemapInfo | null;
  theme: Theme;
  bounds: Bounds;
  padding: { top: number; bottom: number; left: number; right: number };
  /** Keep the drawing buffer so the view can be exported as PNG (costs a little speed). */
  preserveDrawingBuffer?: boolean;
  interactive?: boolean;
  onClick?: (info: PickingInfo) => void;
  /** MapLibre's click, with where on the map it fell (placing route points); attached to every rebuilt map too. */
  onMapClick?: (lngLat: { lng: number; lat: number }) => void;
  /** The pointer moved over the map: what deck.gl picked there (nothing picked: `info.object` is undefined). */
  onHover?: (info: PickingInfo) => void;
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
  /**
   * The labels drawn now, with their boxes on screen as it was when they were
   * placed (over the view and LABEL_MARGIN_PX beyond it); labelsOnScreen()
   * gives those in view where they are now.
   */
  placed: PlacedLabel[] = [];
  /** How many times labels were placed (the redraw-cost measurement publishes it as state.labelPlacements). */
  placements = 0;
  private layers: Layer[] = [];
  private composed: Layer[] = [];
  private wishes: LabelWish[] = [];
  private obstacles: { position: [number, number]; radius: number }[] = [];
  /** The areas that may carry their names (area-names.ts picks which do at the view's scale). */
  private readonly areas: NamedArea[];
  /** What the labels drawn now were placed for (labelsKey()), and their TextLayers with the theme they were made in. */
  private placedFor = '';
  /** A point of the map and where it was on screen when the labels were placed: how far the view has panned since. */
  private placedAt: { lngLat: [number, number]; x: number; y: number } | null = null;
  private labelWishesKey = '';
  private labelLayers: Layer[] | null = null;
  private labelTheme: Theme | null = null;
  /** Bumped when a map is (re)built or a font face finishes loading: label boxes are measured against both. */
  private generation = 0;
  private container!: HTMLDivElement;
  private theme: Theme;
  private placing = false;
  private readonly measureCtx = document.createElement('canvas').getContext('2d');
  private readonly widths = new Map<string, number>();
  private widthsFor = -1;

  constructor(private readonly o: StageOptions) {
    this.theme = o.theme;
    this.areas = o.tree.namedAreas();
    // A face that arrives later (a badge's glyphs) changes the measured widths: place the labels again then.
    document.fonts.addEventListener('loadingdone', () => this.generation++);
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
      transformRequest: areaTileAuth(this.o.tiles),
      attributionControl: false,
      interactive: this.o.interactive ?? true,
      canvasContextAttributes: { preserveDrawingBuffer: this.o.preserveDrawingBuffer ?? false },
    });
    this.map = map;
    this.generation++;
    await new Promise<void>((resolve) => map.once('load', () => resolve()));
    addAreaLayers(map, this.o.tiles);
    applyTheme(map, this.theme, this.o.basemap?.schema ?? 'unknown');
    // Every area name, not only the communities' drawn now: a label, a caption or a panel may show any of them, and
    // deck.gl rasterises its text once from whatever face is loaded (CI has no CJK system font to fall back on).
    const chars = new Set([...this.o.tree.nodes.values()].flatMap((n) => [...n.name]));
    await document.fonts.load('700 18px "Noto Sans SC"', [...chars].join(''));
    this.overlay = new MapLibreOverlay({
      interleaved: true,
      layers: this.compose(),
      ...(this.o.onClick ? { onClick: this.o.onClick } : {}),
      ...(this.o.onHover ? { onHover: this.o.onHover } : {}),
    });
    map.addControl(this.overlay);
    const onMapClick = this.o.onMapClick;
    if (onMapClick) map.on('click', (e) => onMapClick(e.lngLat));
    this.contextLost = false;
    map.on('webglcontextlost', () => {
      this.contextLost = true;
      setTimeout(() => {
        if (this.contextLost && this.map === map) void this.rebuild();
      }, RESTORE_GRACE_MS);
    });
    map.on('webglcontextrestored', () => {
      this.contextLost = false;
      this.overlay.setProps({ layers: this.compose() });
    });
    // Labels are placed in screen space: on a move, see whether they must be placed again (once per frame at most).
    map.on('move', () => {
      if (this.placing) return;
      this.placing = true;
      requestAnimationFrame(() => {
        this.placing = false;
        if (!this.contextLost && this.map === map) this.overlay.setProps({ layers: this.compose() });
      });
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

  /**
   * The view's layers, the labels it wants beside the area names, and
   * the symbols labels must keep clear of (alerts, at their drawn radius).
   */
  setLayers(
    layers: Layer[],
    labels: LabelWish[] = [],
    obstacles: { position: [number, number]; radius: number }[] = [],
  ): void {
    this.layers = layers;
    this.wishes = labels;
    this.obstacles = obstacles;
    // The layers hand over new arrays on every redraw; their content decides whether labels move.
    this.labelWishesKey = [
      ...labels.map(
        (l) => `${l.layer}|${l.text}|${l.size}|${l.priority}|${l.position.join()}|${l.offset?.join() ?? ''}`,
      ),
      ...obstacles.map((o) => `${o.position.join()}|${o.radius}`),
    ].join(';');
    if (!this.contextLost && this.overlay) this.overlay.setProps({ layers: this.compose() });
  }

  setTheme(t: Theme): void {
    this.theme = t;
    applyTheme(this.map, t, this.o.basemap?.schema ?? 'unknown');
    this.setLayers(this.layers, this.wishes, this.obstacles);
  }

  /**
   * What label placement depends on besides a pan: the labels and obstacles,
   * the zoom, bearing and pitch, the canvas, the map and the loaded fonts.
   * Equal keys place the same boxes, shifted by the pan (see panned()). A
   * pitched map does not move as one piece when panned: its centre is in the
   * key, so every pan places the labels again.
   */
  private labelsKey(): string {
    const map = this.map;
    const canvas = map.getCanvas();
    const p = map.getPadding();
    const pitch = map.getPitch();
    const c = pitch ? map.getCenter().toArray() : [];
    const view = [...c, map.getZoom(), map.getBearing(), pitch, p.top, p.bottom, p.left, p.right];
    return `${this.generation}|${view.join()}|${canvas.clientWidth}x${canvas.clientHeight}|${this.labelWishesKey}`;
  }

  /** How far the view has panned since the labels were placed, px (a flat map moves as one piece). */
  private panned(): { dx: number; dy: number } {
    if (!this.placedAt) return { dx: Infinity, dy: Infinity };
    const now = this.map.project(this.placedAt.lngLat);
    return { dx: now.x - this.placedAt.x, dy: now.y - this.placedAt.y };
  }

  /**
   * The labels drawn now whose anchors are in view, with their boxes where
   * they are on screen now (tests read them).
   */
  labelsOnScreen(): PlacedLabel[] {
    const canvas = this.map.getCanvas();
    const { dx, dy } = this.panned();
    return this.placed.flatMap((l) => {
      const box = { x0: l.box.x0 + dx, y0: l.box.y0 + dy, x1: l.box.x1 + dx, y1: l.box.y1 + dy };
      const x = (box.x0 + box.x1) / 2 - l.offset[0];
      const y = (box.y0 + box.y1) / 2 - l.offset[1];
      return x >= 0 && y >= 0 && x <= canvas.clientWidth && y <= canvas.clientHeight ? [{ ...l, box }] : [];
    });
  }

  /** The layers with the labels placed for the view as it is now (area names, counts, badges). */
  private compose(): Layer[] {
    const key = this.labelsKey();
    const { dx, dy } = this.panned();
    if (key !== this.placedFor || Math.abs(dx) > LABEL_MARGIN_PX || Math.abs(dy) > LABEL_MARGIN_PX) {
      this.place();
      this.placedFor = key;
      this.labelLayers = null;
    }
    if (!this.labelLayers || this.labelTheme !== this.theme) {
      const kinds = ['area-names', 'population-counts', 'maintenance-badges'] as const;
      this.labelLayers = kinds.map((k) =>
        mapLabelsLayer(
          k,
          this.placed.filter((l) => l.layer === k),
          this.theme,
        ),
      );
      this.labelTheme = this.theme;
    }
    this.composed = [...this.layers, ...this.labelLayers];
    return this.composed;
  }

  /** Places every label for the view as it is now, in priority order and clear of each other and the obstacles. */
  private place(): void {
    const map = this.map;
    const canvas = map.getCanvas();
    const project = (p: [number, number]) => map.project(p);
    // Widths are kept per map and font generation: a zoom places every label again on every frame, and a city has
    // 1,500 community names (a late font face bumps the generation, and the widths are measured again).
    if (this.widthsFor !== this.generation) {
      this.widths.clear();
      this.widthsFor = this.generation;
    }
    const measure = (text: string, size: number) => {
      const key = `${size}|${text}`;
      let w = this.widths.get(key);
      if (w === undefined) {
        if (!this.measureCtx) return text.length * size;
        this.measureCtx.font = `700 ${size}px "Noto Sans SC", sans-serif`;
        w = this.measureCtx.measureText(text).width;
        this.widths.set(key, w);
      }
      return w;
    };
    const blocked: Box[] = this.obstacles.map((o) => symbolBox(project(o.position), o.radius));
    this.placements++;
    // The view's scale at its centre, px per degree, along each axis however the map is turned.
    const c = map.getCenter();
    const [o, e, n] = [
      map.project([c.lng, c.lat]),
      map.project([c.lng + 0.01, c.lat]),
      map.project([c.lng, c.lat + 0.01]),
    ];
    const pxPerDegree: [number, number] = [
      Math.hypot(e.x - o.x, e.y - o.y) * 100,
      Math.hypot(n.x - o.x, n.y - o.y) * 100,
    ];
    const names = areaNames(this.areas, pxPerDegree, measure);
    this.placed = placeLabels([...names, ...this.wishes], project, measure, blocked, {
      width: canvas.clientWidth,
      height: canvas.clientHeight,
      margin: LABEL_MARGIN_PX,
    });
    const lngLat = map.getCenter().toArray() as [number, number];
    const at = project(lngLat);
    this.placedAt = { lngLat, x: at.x, y: at.y };
  }

  fit(b: Bounds, duration = 800): void {
    this.map.fitBounds(b, { padding: this.o.padding, duration, maxZoom: 17 });
  }

  /**
   * Whether every layer drawn now holds its data: deck.gl's own answer, which
   * for the tiled grid choropleth means every visible tile fetched and parsed.
   * A layer deck.gl has not matched yet (set since the last frame) is not loaded.
   */
  layersLoaded(): boolean {
    return this.composed.every((l) => l.isLoaded);
  }

  layerById(id: string): Layer | undefined {
    return this.composed.find((l) => l.id === id);
  }
}
