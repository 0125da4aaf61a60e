"""Write goodword/transfer/schema/goodword-export.schema.json from the exported models.

Run after changing an exported model (DJANGO_SETTINGS_MODULE=tests.settings python scripts/make_export_schema.py);
tests/test_io_export.py fails while the file and the models disagree.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django  # noqa: E402

django.setup()
from goodword.transfer.document import SCHEMA_PATH, schema  # noqa: E402

SCHEMA_PATH.write_text(json.dumps(schema(), indent=2) + "\n")
print(f"Wrote {SCHEMA_PATH}")
