// Farm ids: opaque and stable for the same input and parameters.

/** Opaque, stable farm id: a hash of the smallest member's account id (md5: the same on every DuckDB version and thread schedule). */
export const farmIdSql = (smallestMember: string) => `'farm-' || left(md5(${smallestMember}), 12)`;
