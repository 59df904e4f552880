/** Splits a list into consecutive chunks of at most `size` items: Graph caps items per request (50 a PATCH, 25 units a search). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
