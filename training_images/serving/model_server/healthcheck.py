"""Docker ``HEALTHCHECK``: exit 0 when the local server's liveness route answers 200 (no curl in the image)."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from model_server.config import ConfigError, load_settings


def main() -> int:
    try:
        port = load_settings().port
    except ConfigError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
