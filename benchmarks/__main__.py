"""Entry point: ``python -m benchmarks [--quick] [--out FILE] [--only 1,3]``."""

import sys

from benchmarks.runner import main

sys.exit(main())
