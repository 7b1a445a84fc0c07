#!/bin/sh
# Back up the ZEO server's Data.fs with ZODB's repozo (full on Sundays or when none exists yet,
# incremental otherwise; repozo reads the file while the server writes, safely), copy the blobs
# (a blob file never changes once written), then remove backups older than RETENTION_DAYS.
# Restore: README, "Running it in production", rollback.
set -eu
BACKUP_DIR=${BACKUP_DIR:-/var/backups/portal}
RETENTION_DAYS=${RETENTION_DAYS:-90}
DATA=${DATA:-/var/lib/portal/Data.fs}
BLOBS=${BLOBS:-/var/lib/portal/blobs}
REPOZO=${REPOZO:-/opt/portal/.venv/bin/repozo}

mkdir -p "$BACKUP_DIR/repozo" "$BACKUP_DIR/blobs"
if [ "$(date +%u)" = 7 ] || ! ls "$BACKUP_DIR"/repozo/*.fs >/dev/null 2>&1; then
    "$REPOZO" -B -F -z -r "$BACKUP_DIR/repozo" -f "$DATA"
else
    "$REPOZO" -B -z -r "$BACKUP_DIR/repozo" -f "$DATA"
fi
cp -a -n "$BLOBS/." "$BACKUP_DIR/blobs/"
# keep the newest full backup and what follows it, whatever its age
newest_full=$(ls -t "$BACKUP_DIR"/repozo/*.fsz 2>/dev/null | head -n 1 || true)
find "$BACKUP_DIR/repozo" -type f -mtime +"$RETENTION_DAYS" ! -newer "${newest_full:-/}" \
    ! -path "${newest_full:-/nonexistent}" -delete
