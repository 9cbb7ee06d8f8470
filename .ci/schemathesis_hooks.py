"""schemathesis hooks for .ci/schemathesis: event batches (NDJSON and CSV)
are text, sent as the text/plain serializer sends text."""

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schemathesis.serializer.alias("text/csv", "text/plain")
