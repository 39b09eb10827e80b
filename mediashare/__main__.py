"""`python -m mediashare …`: see mediashare.cli."""

from mediashare.cli import main

raise SystemExit(main())
