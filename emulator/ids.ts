/** Identifier helpers: deterministic GUIDs for seed data, random GUIDs for created objects. */
import { createHash, randomUUID } from "node:crypto";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a GUID in the 8-4-4-4-12 form Graph uses for ids. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A GUID derived from `seed`, so seeded tenants are identical from run to run. */
export function deterministicGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  // Version-4 and variant bits keep the value looking like every other Graph GUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh random GUID. */
export function newGuid(): string {
  return randomUUID();
}
