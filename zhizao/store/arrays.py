"""A folder of dense arrays, opened memory-mapped: how the monitoring panel is stored (docs/monitoring.md
§At scale).

Layout: one `.npy` file per large array (opened with `mmap_mode`, so loading costs no read and a
refresh reads only the pages it touches), one `small.npz` holding every small array together with
the metadata (JSON), and one uncompressed Arrow IPC (Feather) file per frame, read memory-mapped. The npz is the commit: a new period writes
its column into the large arrays in place, then replaces `small.npz` in one `os.replace`. A reader
therefore trusts the large arrays only up to the period the metadata names (`clean_after`).
Anything that changes a large array's shape writes a whole new folder beside the old and swaps
the two.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.feather as feather

from zhizao.errors import UserError

FORMAT = 1
SMALL = "small.npz"
META_KEY = "__meta__"


@dataclass
class ArrayFolder:
    path: Path
    large: dict[str, np.ndarray]  # memory-mapped (read-only unless opened writable)
    small: dict[str, np.ndarray]
    frames: dict[str, pd.DataFrame]
    meta: dict


def write_folder(path: Path | str, large: dict[str, np.ndarray], small: dict[str, np.ndarray],
                 frames: dict[str, pd.DataFrame], meta: dict) -> None:
    """Write everything into a new folder beside `path`, then swap it in (the old one is removed)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, a in large.items():
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(a))
    for name, df in frames.items():
        feather.write_feather(df.reset_index(drop=True), tmp / f"{name}.arrow", compression="uncompressed")
    _write_small(tmp, small, {**meta, "format": FORMAT, "large": sorted(large), "frames": sorted(frames)})
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def commit_small(path: Path | str, small: dict[str, np.ndarray], meta: dict) -> None:
    """Replace the small arrays and the metadata at once (after the large arrays were written)."""
    path = Path(path)
    old = read_meta(path)
    _write_small(path, small, {**meta, "format": FORMAT, "large": old["large"], "frames": old["frames"]})


def _write_small(folder: Path, small: dict[str, np.ndarray], meta: dict) -> None:
    tmp = folder / f".{SMALL}.{os.getpid()}"
    with tmp.open("wb") as f:
        np.savez(f, **small, **{META_KEY: np.array(json.dumps(meta, ensure_ascii=False))})
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / SMALL)


def read_meta(path: Path | str) -> dict:
    with np.load(Path(path) / SMALL, allow_pickle=False) as z:
        return json.loads(str(z[META_KEY]))


def open_folder(path: Path | str, *, writable: bool = False) -> ArrayFolder:
    """Open a folder written by write_folder: large arrays memory-mapped, the rest read."""
    path = Path(path)
    if not (path / SMALL).exists():
        raise UserError(f"{path} 不是 zhizao 的监测面板目录（缺 {SMALL}）",
                        f"{path} is not a zhizao monitoring panel folder (no {SMALL})")
    with np.load(path / SMALL, allow_pickle=False) as z:
        meta = json.loads(str(z[META_KEY]))
        small = {k: z[k] for k in z.files if k != META_KEY}
    if meta.get("format") != FORMAT:
        raise UserError(f"{path} 的面板格式 {meta.get('format')} 不是本版本的 {FORMAT}：请用原始数据重建",
                        f"{path} holds panel format {meta.get('format')}, not {FORMAT}: rebuild it from the data")
    mode = "r+" if writable else "r"
    large = {name: np.load(path / f"{name}.npy", mmap_mode=mode) for name in meta["large"]}
    frames = {name: feather.read_table(path / f"{name}.arrow", memory_map=True).to_pandas() for name in meta["frames"]}
    return ArrayFolder(path, large, small, frames, meta)


def flush(folder: ArrayFolder) -> None:
    for a in folder.large.values():
        if isinstance(a, np.memmap):
            a.flush()
