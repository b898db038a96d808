import { useEffect, useState } from 'react';
import type { CatalogResponse } from '@pg-governor/contract';
import type { DataSource } from '../datasource';

/** The backend catalog, loaded once per data source; the error in words when it cannot be had. */
export function useCatalog(datasource: DataSource): { catalog?: CatalogResponse; error?: string } {
  const [state, setState] = useState<{ catalog?: CatalogResponse; error?: string }>({});
  useEffect(() => {
    let live = true;
    datasource.getCatalog().then(
      (catalog) => live && setState({ catalog }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [datasource]);
  return state;
}
