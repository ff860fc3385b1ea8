/** PostgreSQL's `unique_violation`: a unique index refused the row. */
const UNIQUE_VIOLATION = '23505';

interface PgErrorFields {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

/** True when `err` (node-postgres's error, or TypeORM's QueryFailedError around it) is a unique violation. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as PgErrorFields | null | undefined;
  return (e?.code ?? e?.driverError?.code) === UNIQUE_VIOLATION;
}

/** The name of the unique index or constraint `err` violated; null when `err` is no unique violation. */
export function violatedConstraint(err: unknown): string | null {
  if (!isUniqueViolation(err)) return null;
  const e = err as PgErrorFields;
  return e.constraint ?? e.driverError?.constraint ?? '';
}
