/**
 * Compile-time links between the plugin's own value lists and the backend's API contract
 * (backend/src/contract, imported type-only): a member added to or removed from a contract union
 * fails `tsc -p plugin` where the list is declared, until the plugin follows.
 */

/** true when A and B have exactly the same members. */
export type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Fails to compile unless T is true. */
export type Assert<T extends true> = T;

/** Fails to compile unless T is assignable to U. */
export type Fits<T extends U, U> = T;
