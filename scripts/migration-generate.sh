#!/usr/bin/env bash
# Writes migrations/<timestamp>-<Name>.ts with what the entities need beyond the existing migrations,
# diffing against a scratch database (not your data). Usage: npm run migration:generate -- Name
set -euo pipefail
name=${1:?usage: npm run migration:generate -- MigrationName}
base=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cbapi_test}
scratch_db="${base##*/}_migration_scratch"  # per test database, so parallel checkouts never collide
scratch="${base%/*}/$scratch_db"
psql "${base%/*}/postgres" -qc "DROP DATABASE IF EXISTS $scratch_db WITH (FORCE)" -c "CREATE DATABASE $scratch_db"
export DATABASE_URL=$scratch REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
npx typeorm-ts-node-commonjs migration:run -d src/database/data-source.ts >/dev/null
npx typeorm-ts-node-commonjs migration:generate -d src/database/data-source.ts -p "migrations/$name"
psql "${base%/*}/postgres" -qc "DROP DATABASE IF EXISTS $scratch_db WITH (FORCE)"
