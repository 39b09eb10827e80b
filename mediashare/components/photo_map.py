"""The map: Leaflet (https://leafletjs.com) wrapped as a Reflex component, drawing the world outline
(Natural Earth countries, assets/geo) and, when the operator set one, a tile server under it.

Leaflet touches `window` when it loads, so the wrapper imports it in the browser only (a dynamic
import in an effect; nothing of it runs while the page is pre-rendered). The clusters come from the
server for the view the map reports (`on_view`, after every move or zoom): each is drawn as the
thumbnail of its newest photo with its count; clicking a cluster zooms to its photos, clicking a
single photo opens it.
"""

from __future__ import annotations

import reflex as rx

OUTLINE_URL = "/geo/world-110m.json"
LIBRARY = "leaflet@1.9.4"


def _view(view: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    return (view,)


_WRAPPER = """
const MS_MAP_CSS = `
.ms-map-box { background: var(--blue-3); }
.ms-map-box .leaflet-container { background: transparent; font: inherit; }
.ms-land { fill: var(--gray-1); fill-opacity: 1; stroke: var(--gray-8); stroke-width: 0.6; }
.ms-map-box.ms-has-tiles .ms-land { fill-opacity: 0; stroke-opacity: 0.35; }
.ms-cluster { background: transparent; border: 0; }
.ms-pin { position: relative; width: 100%; height: 100%; border-radius: 10px; overflow: visible;
  box-shadow: 0 1px 4px rgba(0,0,0,.45); border: 2px solid white; background: var(--gray-5); cursor: pointer; }
.ms-pin img { width: 100%; height: 100%; object-fit: cover; border-radius: 8px; display: block; }
.ms-pin .ms-count { position: absolute; top: -9px; right: -9px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: var(--accent-9); color: white; font-size: 12px; font-weight: 600;
  line-height: 22px; text-align: center; box-shadow: 0 1px 3px rgba(0,0,0,.4); }
`;

function msPin(cluster) {
  const pin = document.createElement("div");
  pin.className = "ms-pin";
  pin.setAttribute("data-count", String(cluster.count));
  pin.setAttribute("role", "button");
  pin.setAttribute("aria-label", cluster.count > 1 ? cluster.count + " photos: zoom in" : "Open the photo");
  const img = document.createElement("img");
  img.src = cluster.thumb_url;
  img.alt = "";
  img.loading = "lazy";
  img.onerror = () => { img.style.visibility = "hidden"; };
  pin.appendChild(img);
  if (cluster.count > 1) {
    const badge = document.createElement("span");
    badge.className = "ms-count";
    badge.textContent = cluster.count > 9999 ? Math.round(cluster.count / 1000) + "k" : String(cluster.count);
    pin.appendChild(badge);
  }
  return pin;
}

function MsPhotoMap({clusters, tileUrl, outlineUrl, onView, id}) {
  const boxRef = useRef(null);
  const mapRef = useRef(null);
  const markersRef = useRef(null);
  const tilesRef = useRef(null);
  const onViewRef = useRef(onView);
  onViewRef.current = onView;
  const [leaflet, setLeaflet] = useState(null);
  useEffect(() => {
    let cancelled = false;
    let map = null;
    Promise.all([import("leaflet"), import("leaflet/dist/leaflet.css")]).then(([module]) => {
      if (cancelled || !boxRef.current) return;
      const L = module.default || module;
      map = L.map(boxRef.current, {worldCopyJump: true, minZoom: 1, maxZoom: 18, zoomControl: true,
                                   attributionControl: false});
      map.setView([25, 10], 2);
      mapRef.current = map;
      markersRef.current = L.layerGroup().addTo(map);
      fetch(outlineUrl).then((r) => r.json()).then((world) => {
        if (!cancelled) L.geoJSON(world, {interactive: false, style: () => ({className: "ms-land"})}).addTo(map);
      }).catch(() => {});
      const report = () => {
        const b = map.getBounds();
        if (onViewRef.current) onViewRef.current({south: b.getSouth(), west: b.getWest(), north: b.getNorth(),
                                                  east: b.getEast(), zoom: map.getZoom()});
      };
      map.on("moveend", report);
      window.__msMap = map;
      setLeaflet(L);
      report();
    });
    return () => { cancelled = true; if (map) map.remove(); mapRef.current = null; };
  }, []);
  useEffect(() => {
    const map = mapRef.current;
    if (!leaflet || !map) return;
    if (tilesRef.current) { tilesRef.current.remove(); tilesRef.current = null; }
    boxRef.current.parentNode.classList.toggle("ms-has-tiles", !!tileUrl);
    if (tileUrl) tilesRef.current = leaflet.tileLayer(tileUrl, {maxZoom: 18}).addTo(map).bringToBack();
  }, [leaflet, tileUrl]);
  useEffect(() => {
    const map = mapRef.current, layer = markersRef.current;
    if (!leaflet || !map || !layer) return;
    layer.clearLayers();
    for (const cluster of clusters || []) {
      const size = cluster.count > 1 ? 56 : 48;
      const icon = leaflet.divIcon({className: "ms-cluster", html: msPin(cluster), iconSize: [size, size]});
      const title = cluster.count > 1 ? cluster.count + " photos" : "";
      const marker = leaflet.marker([cluster.lat, cluster.lon], {icon, keyboard: true, title});
      marker.on("click", () => {
        const spread = cluster.north - cluster.south + cluster.east - cluster.west > 1e-6;
        if (cluster.count > 1 && spread && map.getZoom() < map.getMaxZoom()) {
          map.fitBounds([[cluster.south, cluster.west], [cluster.north, cluster.east]],
                        {padding: [60, 60], maxZoom: map.getMaxZoom()});
        } else if (cluster.count > 1) {
          map.setView([cluster.lat, cluster.lon], map.getMaxZoom());
        } else {
          window.location.assign(cluster.href);
        }
      });
      layer.addLayer(marker);
    }
  }, [leaflet, clusters]);
  return createElement("div", {className: "ms-map-box", style: {width: "100%", height: "100%"}},
    createElement("style", null, MS_MAP_CSS),
    createElement("div", {ref: boxRef, id, style: {width: "100%", height: "100%"}}));
}
"""


class PhotoMap(rx.Component):
    """A Leaflet map of clusters ({key, lat, lon, count, thumb_url, href, south, west, north, east})."""

    tag = "MsPhotoMap"
    lib_dependencies: list[str] = [LIBRARY]

    clusters: rx.Var[list]
    tile_url: rx.Var[str]
    outline_url: rx.Var[str]

    on_view: rx.EventHandler[_view]

    def add_imports(self) -> dict:
        return {"react": [rx.ImportVar(tag="useState"), rx.ImportVar(tag="useRef"), rx.ImportVar(tag="useEffect"),
                          rx.ImportVar(tag="createElement")]}

    def add_custom_code(self) -> list[str]:
        return [_WRAPPER]


def photo_map(clusters: rx.Var, tile_url: rx.Var, on_view, **props) -> rx.Component:
    return PhotoMap.create(clusters=clusters, tile_url=tile_url, outline_url=OUTLINE_URL, on_view=on_view, **props)
