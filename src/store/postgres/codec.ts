import type { Codec } from '../sql/codec.ts';

/** PostgreSQL has jsonb (parsed by the driver), timestamptz (read as Date) and boolean. */
export const postgresCodec: Codec = {
  dialect: 'postgres',
  columnTypes: { json: 'jsonb', time: 'timestamptz', bool: 'boolean' },
  writeJson: (value) => JSON.stringify(value),
  readJson: (value) => value,
  writeBool: (value) => value,
  readBool: (value) => value === true,
  readTime: (value) =>
    value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString(),
};
