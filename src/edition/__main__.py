"""`python -m edition`: the same command as `edition`."""

import sys

from .cli import main

sys.exit(main())
