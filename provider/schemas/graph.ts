/** Former name of `wire.ts`, kept while other branches still import it; import from `./wire`. */
export * from "./wire";
export { restoreSessionSchema as sessionSchema, restoreArtifactSchema as artifactSchema } from "./wire";
