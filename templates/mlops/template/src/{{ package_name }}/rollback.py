"""Roll back: move the `champion` alias to the version it replaced (`make rollback`).

Each promotion records the previous champion on the new one, so rolling back twice walks back two
promotions. The rolled-back version is tagged `rolled_back`; serving follows through `export`.
"""

import sys
from datetime import datetime, timezone

from . import export, registry


def rollback() -> int:
    """Move the alias back one promotion and publish; an exit code."""
    current = registry.champion()
    if current is None:
        print("rollback: no champion yet: nothing to roll back", file=sys.stderr)
        return 1
    previous = current.tags.get(registry.PREVIOUS_TAG)
    if not previous:
        print(f"rollback: version {current.version} replaced no champion", file=sys.stderr)
        return 1
    registry.set_champion(int(previous), None)
    registry.set_version_tag(
        current.version, "rolled_back", datetime.now(timezone.utc).isoformat(timespec="seconds")
    )
    print(f"rollback: champion moved from version {current.version} back to version {previous}")
    return export.publish()


if __name__ == "__main__":
    sys.exit(rollback())
