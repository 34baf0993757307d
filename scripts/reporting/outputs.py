"""Write files atomically: a temp file in the same folder, then rename."""
from __future__ import annotations

import os
import tempfile


def write_all(folder: str, files: dict[str, str]) -> None:
    """Write {name: text} into folder. Every file is written to a temp name
    first; only when all are written are they renamed into place."""
    os.makedirs(folder, exist_ok=True)
    temps = []
    try:
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            temps.append((tmp, os.path.join(folder, name)))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
        for tmp, final in temps:
            os.replace(tmp, final)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
