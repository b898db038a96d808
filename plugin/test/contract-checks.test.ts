import type { VariableName } from '@pg-governor/contract';
import type { Assert, Fits, SameMembers } from '../src/contract-checks';
import { VARIABLE_NAMES } from '../src/types';

// Type tests, checked by `tsc -p plugin/tsconfig.json` (jest only runs the file): the checks that
// tie the plugin to the contract must reject each of these.
// @ts-expect-error a list that lacks a member of the contract's union
export type Lacking = Assert<SameMembers<VariableName, Exclude<VariableName, 'tables'>>>;
// @ts-expect-error a list with a member the contract does not have
export type Extra = Assert<SameMembers<VariableName, VariableName | 'schemas'>>;
// @ts-expect-error a field whose type no longer fits the contract's
export type Misfit = Fits<{ limit: string }, { limit: number }>;

describe('contract checks', () => {
  it("take the plugin's variable names as the contract's", () => {
    const same: SameMembers<VariableName, (typeof VARIABLE_NAMES)[number]> = true;
    expect(same).toBe(true);
  });
});
