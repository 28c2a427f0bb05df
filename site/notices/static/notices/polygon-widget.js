/* Drawing a notice's area in the admin (notices.maps.widgets.PolygonWidget). The textarea next to
   the map stays the source of truth: the map reads it, and every vertex added, undone or
   cleared is written back as a GeoJSON Polygon in WGS84. Without this script the textarea
   is the whole editor. No libraries. */
(function () {
  "use strict";

  var TILE = 256;
  var WIDTH = 640;
  var HEIGHT = 400;
  var PADDING = 48;
  var MIN_ZOOM = 3;
  var EMPTY_ZOOM = 14;
  var SVG = "http://www.w3.org/2000/svg";
  var GRID_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

  function mercator(lon, lat) {
    var radians = (Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI) / 180;
    return [(lon + 180) / 360, (1 - Math.asinh(Math.tan(radians)) / Math.PI) / 2];
  }

  function inverseMercator(x, y) {
    return [x * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI];
  }

  // GCJ-02, as notices/maps/geometry.py computes it: AMap tiles are drawn in it, polygons are not.
  function toGcj(lon, lat) {
    if (!(lon > 73.66 && lon < 135.05 && lat > 3.86 && lat < 53.55)) return [lon, lat];
    var a = 6378245.0;
    var ee = 0.00669342162296594323;
    var x = lon - 105;
    var y = lat - 35;
    var pi = Math.PI;
    var common = ((20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2) / 3;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common;
    dLat += ((20 * Math.sin(y * pi) + 40 * Math.sin((y / 3) * pi)) * 2) / 3;
    dLon += ((20 * Math.sin(x * pi) + 40 * Math.sin((x / 3) * pi)) * 2) / 3;
    dLat += ((160 * Math.sin((y / 12) * pi) + 320 * Math.sin((y * pi) / 30)) * 2) / 3;
    dLon += ((150 * Math.sin((x / 12) * pi) + 300 * Math.sin((x / 30) * pi)) * 2) / 3;
    var radians = (lat / 180) * pi;
    var magic = 1 - ee * Math.sin(radians) * Math.sin(radians);
    dLat = (dLat * 180) / (((a * (1 - ee)) / (magic * Math.sqrt(magic))) * pi);
    dLon = (dLon * 180) / ((a / Math.sqrt(magic)) * Math.cos(radians) * pi);
    return [lon + dLon, lat + dLat];
  }

  function fromGcj(lon, lat) {
    var wgs = [lon, lat];
    for (var i = 0; i < 10; i++) {
      var gcj = toGcj(wgs[0], wgs[1]);
      wgs = [wgs[0] - (gcj[0] - lon), wgs[1] - (gcj[1] - lat)];
    }
    return wgs;
  }

  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function isPosition(value) {
    return Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "number";
  }

  // The rings of what the textarea holds, when the map can show it: GeoJSON (a Polygon, a
  // Feature, a FeatureCollection of one) or "lon,lat lon,lat …". The server reads more.
  function readRings(text) {
    text = text.trim();
    if (!text || text === "null") return [];
    if (text.charAt(0) !== "{" && text.charAt(0) !== "[") {
      var pairs = text.replace(/\s*[,，]\s*/g, ",").split(/[\s;；]+/).map(function (token) {
        var match = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(token);
        return match ? [parseFloat(match[1]), parseFloat(match[2])] : null;
      });
      return pairs.every(Boolean) ? [pairs] : null;
    }
    var value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return null;
    }
    if (Array.isArray(value)) {
      value = { type: "Polygon", coordinates: isPosition(value[0]) ? [value] : value };
    }
    if (value && value.type === "FeatureCollection" && value.features && value.features.length === 1) {
      value = value.features[0];
    }
    if (value && value.type === "Feature") value = value.geometry;
    if (!value || value.type !== "Polygon" || !Array.isArray(value.coordinates)) return null;
    var valid = value.coordinates.every(function (ring) {
      return Array.isArray(ring) && ring.every(isPosition);
    });
    return valid ? value.coordinates : null;
  }

  function openRing(ring) {
    var last = ring[ring.length - 1];
    if (ring.length > 1 && last[0] === ring[0][0] && last[1] === ring[0][1]) {
      return ring.slice(0, -1);
    }
    return ring.slice();
  }

  function svgElement(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    parent.appendChild(element);
    return element;
  }

  function PolygonMap(root) {
    this.root = root;
    this.config = JSON.parse(root.getAttribute("data-config"));
    this.textarea = root.querySelector("textarea");
    this.canvas = root.querySelector("[data-canvas]");
    this.status = root.querySelector("[data-status]");
    this.ring = [];
    this.holes = [];
    this.readTextarea();
    this.fit();
    this.bind();
    root.querySelector("[data-map]").hidden = false;
  }

  PolygonMap.prototype.toDisplay = function (position) {
    return this.config.crs === "gcj02" ? toGcj(position[0], position[1]) : position;
  };

  PolygonMap.prototype.fromDisplay = function (position) {
    return this.config.crs === "gcj02" ? fromGcj(position[0], position[1]) : position;
  };

  PolygonMap.prototype.readTextarea = function () {
    var rings = readRings(this.textarea.value);
    this.unreadable = rings === null;
    if (rings === null) return false;
    this.ring = rings.length ? openRing(rings[0]).map(function (p) { return [p[0], p[1]]; }) : [];
    this.holes = rings.slice(1);
    return true;
  };

  PolygonMap.prototype.write = function () {
    var value = "";
    if (this.ring.length >= 3) {
      var outer = this.ring.concat([this.ring[0]]);
      value = JSON.stringify({ type: "Polygon", coordinates: [outer].concat(this.holes) });
    }
    this.textarea.value = value;
    this.unreadable = false;
    this.writing = true;
    this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
    this.textarea.dispatchEvent(new Event("change", { bubbles: true }));
    this.writing = false;
    this.render();
  };

  PolygonMap.prototype.fit = function () {
    var maxZoom = this.config.maxZoom;
    var points = this.ring.map(this.toDisplay, this).map(function (p) { return mercator(p[0], p[1]); });
    if (!points.length) {
      var centre = this.toDisplay(this.config.center);
      var world = mercator(centre[0], centre[1]);
      this.zoom = Math.min(EMPTY_ZOOM, maxZoom);
      this.x = world[0];
      this.y = world[1];
      this.render();
      return;
    }
    var xs = points.map(function (p) { return p[0]; });
    var ys = points.map(function (p) { return p[1]; });
    var width = Math.max.apply(null, xs) - Math.min.apply(null, xs);
    var height = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    var room = Math.min(
      width ? (WIDTH - 2 * PADDING) / (width * TILE) : Infinity,
      height ? (HEIGHT - 2 * PADDING) / (height * TILE) : Infinity
    );
    this.zoom = room === Infinity ? maxZoom : Math.max(MIN_ZOOM, Math.min(maxZoom, Math.floor(Math.log2(room))));
    this.x = (Math.max.apply(null, xs) + Math.min.apply(null, xs)) / 2;
    this.y = (Math.max.apply(null, ys) + Math.min.apply(null, ys)) / 2;
    this.render();
  };

  PolygonMap.prototype.zoomBy = function (step) {
    this.zoom = Math.max(MIN_ZOOM, Math.min(this.config.maxZoom, this.zoom + step));
    this.render();
  };

  PolygonMap.prototype.panBy = function (dx, dy) {
    var scale = TILE * Math.pow(2, this.zoom);
    this.x += dx / scale;
    this.y = Math.max(0, Math.min(1, this.y + dy / scale));
    this.render();
  };

  PolygonMap.prototype.origin = function () {
    var scale = TILE * Math.pow(2, this.zoom);
    return [Math.round(this.x * scale - WIDTH / 2), Math.round(this.y * scale - HEIGHT / 2), scale];
  };

  PolygonMap.prototype.addVertexAt = function (px, py) {
    var origin = this.origin();
    var display = inverseMercator((origin[0] + px) / origin[2], (origin[1] + py) / origin[2]);
    var wgs = this.fromDisplay(display);
    this.ring.push([round6(wgs[0]), round6(wgs[1])]);
    this.write();
  };

  PolygonMap.prototype.render = function () {
    var canvas = this.canvas;
    var origin = this.origin();
    var left = origin[0];
    var top = origin[1];
    var scale = origin[2];
    while (canvas.firstChild) canvas.removeChild(canvas.firstChild);
    svgElement("rect", { width: WIDTH, height: HEIGHT, fill: "#eceee8" }, canvas);
    if (this.config.tiles.length) {
      this.drawTiles(left, top);
    } else {
      this.drawGrid(left, top, scale);
    }
    var points = this.ring.map(function (position) {
      var display = this.toDisplay(position);
      var world = mercator(display[0], display[1]);
      return [world[0] * scale - left, world[1] * scale - top];
    }, this);
    if (points.length) {
      var d = "M" + points.map(function (p) { return p[0].toFixed(1) + " " + p[1].toFixed(1); }).join("L");
      svgElement("path", {
        d: points.length >= 3 ? d + "Z" : d,
        fill: points.length >= 3 ? "rgba(180,35,24,.2)" : "none",
        stroke: "#b42318",
        "stroke-width": 3,
        "stroke-linejoin": "round",
      }, canvas);
      points.forEach(function (p, index) {
        svgElement("circle", {
          cx: p[0],
          cy: p[1],
          r: index === points.length - 1 ? 7 : 5,
          fill: "#fff",
          stroke: "#b42318",
          "stroke-width": 3,
        }, canvas);
      });
    }
    svgElement("path", { d: "M310 200h20M320 190v20", stroke: "#1d2939", "stroke-width": 2 }, canvas);
    this.showStatus();
  };

  PolygonMap.prototype.drawTiles = function (left, top) {
    var count = Math.pow(2, this.zoom);
    var zoom = this.zoom;
    var canvas = this.canvas;
    this.config.tiles.forEach(function (layer) {
      for (var row = Math.floor(top / TILE); row <= Math.floor((top + HEIGHT - 1) / TILE); row++) {
        if (row < 0 || row >= count) continue;
        for (var column = Math.floor(left / TILE); column <= Math.floor((left + WIDTH - 1) / TILE); column++) {
          var x = ((column % count) + count) % count;
          var url = layer.url.replace("{z}", zoom).replace("{x}", x).replace("{y}", row);
          if (layer.subdomains.length) url = url.replace("{s}", layer.subdomains[(x + row) % layer.subdomains.length]);
          svgElement("image", {
            href: url,
            x: column * TILE - left,
            y: row * TILE - top,
            width: TILE,
            height: TILE,
          }, canvas);
        }
      }
    });
  };

  // Without tiles, lines of longitude and latitude give the drawing a frame of reference.
  PolygonMap.prototype.drawGrid = function (left, top, scale) {
    var canvas = this.canvas;
    var self = this;
    var topLeft = inverseMercator(left / scale, top / scale);
    var bottomRight = inverseMercator((left + WIDTH) / scale, (top + HEIGHT) / scale);
    var degreesPerPixel = (bottomRight[0] - topLeft[0]) / WIDTH;
    var step = GRID_STEPS.filter(function (s) { return s / degreesPerPixel >= 100; })[0] || 10;
    var digits = Math.max(0, -Math.floor(Math.log10(step)));
    var lines = svgElement("g", { stroke: "#b8bcb2", "stroke-width": 1 }, canvas);
    var labels = svgElement("g", { fill: "#475467", "font-size": 13, "font-family": "sans-serif" }, canvas);
    function place(lon, lat) {
      var display = self.toDisplay([lon, lat]);
      var world = mercator(display[0], display[1]);
      return [world[0] * scale - left, world[1] * scale - top];
    }
    for (var lon = Math.ceil(topLeft[0] / step) * step; lon < bottomRight[0]; lon += step) {
      var x = place(lon, (topLeft[1] + bottomRight[1]) / 2)[0];
      svgElement("path", { d: "M" + x.toFixed(1) + " 0V" + HEIGHT }, lines);
      svgElement("text", { x: x + 3, y: HEIGHT - 6 }, labels).textContent = lon.toFixed(digits) + "°E";
    }
    for (var lat = Math.ceil(bottomRight[1] / step) * step; lat < topLeft[1]; lat += step) {
      var y = place((topLeft[0] + bottomRight[0]) / 2, lat)[1];
      svgElement("path", { d: "M0 " + y.toFixed(1) + "H" + WIDTH }, lines);
      svgElement("text", { x: 4, y: y - 4 }, labels).textContent = lat.toFixed(digits) + "°N";
    }
  };

  PolygonMap.prototype.showStatus = function () {
    var messages = this.config.messages;
    var text;
    if (this.unreadable) {
      text = messages.unreadable;
    } else if (this.ring.length >= 3) {
      text = messages.points.replace("{n}", this.ring.length);
    } else if (this.ring.length) {
      text = messages.tooFew.replace("{n}", this.ring.length);
    } else {
      text = messages.hint;
    }
    if (!this.config.tiles.length) text += " " + messages.noTiles;
    this.status.textContent = text;
  };

  PolygonMap.prototype.canvasPoint = function (event) {
    var rect = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * WIDTH) / rect.width,
      ((event.clientY - rect.top) * HEIGHT) / rect.height,
      WIDTH / rect.width,
    ];
  };

  PolygonMap.prototype.bind = function () {
    var self = this;
    var canvas = this.canvas;
    var drag = null;
    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = { start: self.canvasPoint(event), moved: false, last: self.canvasPoint(event) };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var point = self.canvasPoint(event);
      if (!drag.moved && Math.hypot(point[0] - drag.start[0], point[1] - drag.start[1]) < 6) return;
      drag.moved = true;
      self.panBy(drag.last[0] - point[0], drag.last[1] - point[1]);
      drag.last = point;
    });
    canvas.addEventListener("pointerup", function (event) {
      if (drag && !drag.moved) self.addVertexAt(drag.start[0], drag.start[1]);
      drag = null;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointercancel", function () {
      drag = null;
    });
    canvas.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-64, 0], ArrowRight: [64, 0], ArrowUp: [0, -64], ArrowDown: [0, 64] };
      if (moves[event.key]) {
        self.panBy(moves[event.key][0], moves[event.key][1]);
      } else if (event.key === "+" || event.key === "=") {
        self.zoomBy(1);
      } else if (event.key === "-") {
        self.zoomBy(-1);
      } else if (event.key === "Enter" || event.key === " ") {
        self.addVertexAt(WIDTH / 2, HEIGHT / 2);
      } else if (event.key === "Backspace") {
        self.act("undo");
      } else {
        return;
      }
      event.preventDefault();
    });
    this.root.querySelectorAll("[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.act(button.getAttribute("data-action"));
      });
    });
    this.textarea.addEventListener("input", function () {
      if (self.writing) return;
      if (self.readTextarea()) self.fit();
      else self.render();
    });
  };

  PolygonMap.prototype.act = function (action) {
    if (action === "zoom-in") this.zoomBy(1);
    else if (action === "zoom-out") this.zoomBy(-1);
    else if (action === "fit") this.fit();
    else if (action === "undo" && this.ring.length) {
      this.ring.pop();
      this.write();
    } else if (action === "clear") {
      this.ring = [];
      this.holes = [];
      this.write();
    }
  };

  function start() {
    document.querySelectorAll("[data-polygon-widget]").forEach(function (root) {
      if (!root.polygonMap) root.polygonMap = new PolygonMap(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
