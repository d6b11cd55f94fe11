"""scikit-learn side of bench/kmeans.js: the same sweep on the same feature matrix (float64, row-major).

usage: python3 kmeans_sklearn.py FILE N D KMIN KMAX NINIT SILSAMPLE
prints one JSON object: per-k inertia and indices, and timings (wall and CPU seconds).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

path, n, d, kmin, kmax, n_init, sil = sys.argv[1], *map(int, sys.argv[2:8])
X = np.fromfile(path, dtype=np.float64).reshape(n, d)
out = {"tool": "scikit-learn " + __import__("sklearn").__version__, "perK": []}
w0, c0 = time.perf_counter(), time.process_time()
fit_wall = 0.0
for k in range(kmin, kmax + 1):
    t = time.perf_counter()
    km = KMeans(n_clusters=k, n_init=n_init, random_state=0).fit(X)
    fit_wall += time.perf_counter() - t
    labels = km.labels_
    s = silhouette_score(X, labels, sample_size=min(sil, n), random_state=0) if sil < n else silhouette_score(X, labels)
    out["perK"].append({
        "k": k,
        "inertia": float(km.inertia_),
        "iterations": int(km.n_iter_),
        "silhouette": float(s),
        "calinskiHarabasz": float(calinski_harabasz_score(X, labels)),
        "daviesBouldin": float(davies_bouldin_score(X, labels)),
    })
out["wall"] = time.perf_counter() - w0
out["cpu"] = time.process_time() - c0
out["fitWall"] = fit_wall
print(json.dumps(out))
