#!/bin/sh
# Unit tests of the tmpfs core's in-memory structures.
exec "${B:-build}/tests/unit_tmpfs"
