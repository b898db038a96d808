import { escapeLiteral } from 'pg';

/**
 * The sql/roles scripts are written for psql (`psql -v monitor_password=... -f ...`). To run one
 * through node-postgres we substitute its :'variable' references with quoted literals, as psql does.
 */
export function substitutePsqlVariables(script: string, variables: Record<string, string>): string {
  return script.replace(/:'([A-Za-z_][A-Za-z0-9_]*)'/g, (reference, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`role script needs the psql variable ${name}`);
    return escapeLiteral(value);
  });
}
