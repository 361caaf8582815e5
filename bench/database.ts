// The benchmark never touches the database DATABASE_URL names: on
// PostgreSQL it makes a new, empty one beside it (the role needs CREATEDB)
// and returns its URL.
import pg from "pg";

export async function benchDatabaseUrl(url: string, suffix: string): Promise<string> {
  const target = new URL(url);
  const name = `${target.pathname.slice(1) || "postgres"}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 63);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(`cannot create the benchmark database "${name}" (the role needs CREATEDB): ${(error as Error).message}`);
  } finally {
    await client.end();
  }
  target.pathname = `/${name}`;
  return target.toString();
}
