"""Allow `python -m scaffold`."""

from scaffold.console import main

main()
