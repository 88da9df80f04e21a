// The notifier's SQLite database (better-sqlite3, WAL mode): silences and the notification log.
// Schema (version 1):
//   silence(id TEXT PRIMARY KEY, body TEXT (JSON Silence), ends_at_ms INTEGER)
//   nflog(key TEXT PRIMARY KEY, firing TEXT (JSON fingerprints), resolved TEXT, ts_ms INTEGER,
//         expires_ms INTEGER)
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function openNotifierDb(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS silence (id TEXT PRIMARY KEY, body TEXT NOT NULL, ends_at_ms INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS nflog (key TEXT PRIMARY KEY, firing TEXT NOT NULL, resolved TEXT NOT NULL, ts_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);`);
  return db;
}

export type NotifierDb = Database.Database;
