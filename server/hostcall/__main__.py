"""Allow ``python -m hostcall``."""

from hostcall.cli import main

raise SystemExit(main())
