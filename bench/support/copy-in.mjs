/* global Buffer */
// COPY ... FROM STDIN over node-postgres without another dependency: pg's Query answers a
// CopyInResponse by failing the copy; this one sends the given chunks instead.
import pg from 'pg';

class CopyIn extends pg.Query {
  constructor(sql, chunks, callback) {
    super(sql, undefined, callback);
    this.chunks = chunks;
  }

  handleCopyInResponse(connection) {
    try {
      for (const chunk of this.chunks()) connection.sendCopyFromChunk(Buffer.from(chunk));
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(String(error?.message ?? error));
    }
  }
}

/**
 * Runs `COPY ... FROM STDIN` on a pg.Client with the text chunks that `chunks()` yields (a
 * generator: the text is made as it is sent). Resolves with the rows copied.
 */
export function copyIn(client, sql, chunks) {
  return new Promise((resolve, reject) => {
    client.query(
      new CopyIn(sql, chunks, (error, result) => (error ? reject(error) : resolve(result.rowCount))),
    );
  });
}
