// One gateway per data folder. A second one would replay the same journal, then append its own orders beside the
// first's: two exchanges deciding on diverging books, and the journal's numbering refusing the second writer's
// commits (503s). The lock is SQLite's own (a POSIX advisory lock on `ordergate.lock`, held by a connection in
// exclusive locking mode), so the operating system drops it with the process however that ends: a crashed or killed
// gateway never leaves a stale lock behind, whatever process ids the next start (a container, say) sees. The owner's
// process id is written beside it, for the message only. The CLI's other commands (keys, accounts, users) take no
// lock: they are meant to work while a server runs.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export const LOCK_FILE = 'ordergate.lock';
const PID_FILE = 'ordergate.pid';

/** Another gateway holds the folder's lock. */
export class DataDirInUse extends Error {
  constructor(readonly dataDir: string, owner: string | undefined) {
    super(
      `${dataDir} is in use by another Ordergate${owner ? ` (process ${owner})` : ''}: stop it first, or set ` +
        'ORDERGATE_DATA_DIR to another folder',
    );
  }
}

export class DataDirLock {
  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly pidFile: string,
  ) {}

  /** Takes the folder's lock, or throws DataDirInUse when another gateway (of this process or another) holds it. */
  static acquire(dataDir: string): DataDirLock {
    const db = new BetterSqlite3(path.join(dataDir, LOCK_FILE), { timeout: 0 });
    const pidFile = path.join(dataDir, PID_FILE);
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // Nothing here is worth a rollback journal on disk (one would stay beside the file in this locking mode).
      db.pragma('journal_mode = MEMORY');
      // The first write takes the exclusive lock, which this locking mode keeps until the connection closes.
      db.exec('BEGIN EXCLUSIVE; PRAGMA user_version = 1; COMMIT');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUse(dataDir, ownerNamedIn(pidFile));
      throw error;
    }
    fs.writeFileSync(pidFile, `${process.pid}\n`);
    return new DataDirLock(db, pidFile);
  }

  /** Gives the lock up; the next gateway may take the folder. */
  release(): void {
    if (!this.db.open) return;
    fs.rmSync(this.pidFile, { force: true });
    this.db.close();
  }
}

function ownerNamedIn(pidFile: string): string | undefined {
  try {
    return fs.readFileSync(pidFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
