"""Smoke-test a deployed prediction service: /health answers with a model version, /predict works.

`python deploy/smoke_test.py URL` (`make smoke SERVING_URL=...`, and the CD workflow after each
deployment, which rolls back when this exits non-zero). Standard library only, so it runs
anywhere; it retries for up to --wait seconds while the service starts.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

SAMPLE = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


def call(url: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def smoke(base_url: str, wait_seconds: float) -> str:
    """Return the served model version; raise AssertionError or URLError on failure."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            health = call(f"{base_url}/health")
            break
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
    assert health.get("status") == "ok", f"/health answered {health}"
    answer = call(f"{base_url}/predict", {"instances": [SAMPLE]})
    (prediction,) = answer["predictions"]
    assert prediction["label"], f"/predict answered {answer}"
    assert answer["model_version"] == health["model_version"], "versions disagree"
    return str(health["model_version"])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("url", help="base URL of the service, e.g. http://127.0.0.1:8080")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for /health")
    args = parser.parse_args()
    if not args.url:
        print("smoke: give the service URL (make smoke SERVING_URL=http://...)", file=sys.stderr)
        return 2
    try:
        version = smoke(args.url.rstrip("/"), args.wait)
    except (AssertionError, urllib.error.URLError, OSError, KeyError, ValueError) as error:
        print(f"smoke: FAILED against {args.url}: {error}", file=sys.stderr)
        return 1
    print(f"smoke: ok, {args.url} serves model version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
