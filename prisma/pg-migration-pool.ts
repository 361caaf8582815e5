// Works around prisma/orm#27403: Prisma 6.19's Wasm schema engine, talking to
// PostgreSQL through @prisma/adapter-pg, cannot deserialize pg_catalog columns
// of internal types ("Column type 'name' could not be deserialized"). The CLI's
// pool relabels those result columns as text before Prisma sees them. Only the
// migration CLI uses this pool; the app's runtime adapter needs no such thing.
import pg from "pg";

const TEXT = 25;
const TEXT_ARRAY = 1009;
// char, name, int2vector, regproc, oidvector, pg_node_tree, regconfig, regdictionary
const AS_TEXT = new Set([18, 19, 22, 24, 30, 194, 2205, 2206]);
// _char, _name
const AS_TEXT_ARRAY = new Set([1002, 1003]);

function relabel(result: pg.QueryResult): pg.QueryResult {
  for (const field of result.fields ?? []) {
    if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT;
    else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = TEXT_ARRAY;
  }
  return result;
}

export function createMigrationPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  // pg.Pool#query calls client.query with a callback; transactions use the
  // promise form. Relabel in both.
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error: Error | null, result: pg.QueryResult) =>
          callback(error, result && relabel(result));
        return query(...args);
      }
      const pending = query(...args);
      return pending instanceof Promise ? pending.then(relabel) : pending;
    };
  });
  return pool;
}
