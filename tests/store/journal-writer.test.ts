// JournalWriter: the batches it hands to its thread are answered in order; a thread that dies fails every batch in
// flight and every later one at once (the journal then refuses appends and the gateway answers 503), and close still
// returns.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { type EventRow, JournalWriter } from '../../src/store/journal-writer.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

const row = (seq: number): EventRow => ['acc-a', seq, 'account.funded', 1_000, `{"seq":${seq}}`];

describe('JournalWriter', () => {
  it('commits the batches in order and resolves each once another connection can read it', async () => {
    const file = path.join(tempDir(), 'journal.db');
    openDatabase(file).close();
    const writer = await JournalWriter.start(file, 'full');
    await Promise.all([writer.commit([row(1), row(2)]), writer.commit([row(3)])]);
    const reader = openDatabase(file);
    expect(reader.prepare('SELECT seq FROM events ORDER BY position').pluck().all()).toEqual([1, 2, 3]);
    reader.close();
    await writer.close();
  });

  it('fails the batch in flight and every later one when its thread dies, and still closes', async () => {
    const file = path.join(tempDir(), 'journal.db');
    openDatabase(file).close();
    const writer = await JournalWriter.start(file, 'full', new URL('./fixtures/dying-journal-writer.ts', import.meta.url));
    await expect(writer.commit([row(1)])).rejects.toThrow("the order journal's writer thread exited (code 3)");
    await expect(writer.commit([row(2)])).rejects.toThrow("the order journal's writer thread exited (code 3)");
    await writer.close();
  });
});
