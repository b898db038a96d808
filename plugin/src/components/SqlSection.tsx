import { Collapse } from '@grafana/ui';
import React, { useState } from 'react';
import type { SqlText } from '@pg-governor/contract';

interface Props {
  sql: SqlText[];
}

/** The exact SQL the backend runs for the chosen metric or table, one file per PostgreSQL major. */
export function SqlSection({ sql }: Props) {
  const [open, setOpen] = useState(false);
  if (sql.length === 0) return null;
  return (
    <Collapse label="SQL" isOpen={open} onToggle={() => setOpen(!open)} collapsible>
      <div data-testid="pgg-sql">
        {sql.map((s) => (
          <div key={s.file}>
            <div>
              <strong>{s.file}</strong>
              {s.major !== null ? ` (PostgreSQL ${s.major} and newer)` : ''}
            </div>
            <pre style={{ whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto' }}>{s.text}</pre>
          </div>
        ))}
      </div>
    </Collapse>
  );
}
