/**
 * Spec fidelity for the emulator: request bodies and responses checked against Microsoft's
 * OpenAPI documents in `graph-spec/` (the full v1.0 document for v1.0, the trimmed SharePoint one
 * for beta), plus the documented write rules the generated spec leaves out.
 *
 * The spec is translated to JSON Schema once per version and compiled with ajv: `nullable` (3.0
 * style, still used by the 3.1 document) becomes a `null` type, the generator's
 * `anyOf: [$ref, {type: object, nullable: true}]` becomes "the reference or null", `$ref` siblings
 * are kept beside the reference, the generator's `required: ['@odata.type']` on every type is
 * dropped (Graph sends `@odata.type` only where a type is ambiguous; the docs' examples omit it on
 * nested values), and open `additionalProperties` become `true` (Graph's `{type: object}` would
 * reject every string-valued OData annotation). Where the docs and the spec disagree, the docs win
 * (docs/graph-backuprestore.md): only the documented properties are writable, the PATCH response
 * echoes the delta array, and empty create bodies are allowed. Paths match whatever form the
 * action and cast segments take (`activate`, `microsoft.graph.activate`, `graph.siteProtectionUnit`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import {
  DELTA_PATCHES,
  DOCUMENTED_ALIASES,
  DOCUMENTED_WRITES,
  normalizeTemplate,
  object,
  patternMatches,
  value,
  type WriteRule,
} from "./spec/documented-operations";
import { relaxInnerErrorDate, translate } from "./spec/translate";

/** Checks Graph request bodies and responses against one version of the OpenAPI document. */
export interface SpecValidator {
  /** Problems with a request body, each naming the property (dot path); [] when valid. */
  validateRequest(method: string, path: string, body: unknown): string[];
  /** Problems with a response body for the given status; [] when it matches the spec. */
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
}

type Version = "v1.0" | "beta";
type JsonObject = { [key: string]: unknown };

/** The spec file of each version. */
const SPEC_FILES: Record<Version, string> = { "v1.0": "BackupRestore.v1.0.full.yml", beta: "BackupRestore.beta.sharepoint-restore.yml" };

const validators = new Map<Version, SpecValidator>();

/** Returns the (cached) validator for one Graph version's OpenAPI document in `graph-spec/`. */
export function createSpecValidator(version: Version): SpecValidator {
  let validator = validators.get(version);
  if (!validator) {
    validator = buildValidator(version);
    validators.set(version, validator);
  }
  return validator;
}

function buildValidator(version: Version): SpecValidator {
  const document = parse(readFileSync(join(findPackageRoot(), "graph-spec", SPEC_FILES[version]), "utf8")) as JsonObject;
  const paths = document.paths as Record<string, JsonObject>;
  const requests = new CompiledDocument(document, version, "request");
  const responses = new CompiledDocument(document, version, "response");
  const templates = Object.keys(paths).map((template) => ({ template, segments: normalizeTemplate(template).split("/").slice(1) }));

  const findOperation = (method: string, concretePath: string) => {
    const path = normalizeTemplate(concretePath.split("?")[0]!.replace(/\/+$/, ""));
    const direct = { method: method.toLowerCase(), template: matchTemplate(templates, path) };
    const alias = DOCUMENTED_ALIASES.find((a) => a.from.method === method.toUpperCase() && patternMatches(a.from.pattern, path));
    for (const target of [
      direct,
      ...(alias ? [{ method: alias.to.method.toLowerCase(), template: matchTemplate(templates, alias.to.pattern) }] : []),
    ]) {
      const found = target.template === undefined ? undefined : (paths[target.template][target.method] as JsonObject | undefined);
      if (found) return { template: target.template!, method: target.method, operation: found };
    }
    return undefined;
  };
  const unknownOperation = (method: string, path: string) =>
    `no operation ${method.toUpperCase()} ${path} in the ${version} OpenAPI document`;

  return {
    validateRequest(method, path, body) {
      const found = findOperation(method, path);
      if (isEmptyBody(body)) return [];
      if (!found) return [unknownOperation(method, path)];
      const requestBody = found.operation.requestBody as JsonObject | undefined;
      if (!requestBody) return [`(body): ${method.toUpperCase()} ${found.template} takes no request body`];
      if (!isPlainObject(body)) return ["(body): must be a JSON object"];
      const schemaPointer = pointer("paths", found.template, found.method, "requestBody", "content", "application/json", "schema");
      const key = `${found.method.toUpperCase()} ${normalizeTemplate(found.template)}`;
      // A delta PATCH names collections as "<name>@delta"; type-check its items as the collection's.
      const problems = requests.validate(schemaPointer, body, found.method === "patch");
      const specSchema = requests.resolve(requests.at(schemaPointer));
      const rule = DOCUMENTED_WRITES[key] ?? requests.writableBySpec(specSchema);
      checkWritable(body, rule, specSchema, requests, "", problems);
      return unique(problems);
    },

    validateResponse(method, path, status, body) {
      const found = findOperation(method, path);
      if (!found) {
        return status >= 400
          ? unique(responses.validate(pointer("components", "responses", "error", "content", "application/json", "schema"), body))
          : [unknownOperation(method, path)];
      }
      const responseMap = found.operation.responses as Record<string, JsonObject>;
      const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responseMap);
      if (key === undefined) return [`status ${status} is not a documented response of ${method.toUpperCase()} ${found.template}`];
      let responsePointer = pointer("paths", found.template, found.method, "responses", key);
      const reference = responseMap[key].$ref;
      if (typeof reference === "string") responsePointer = reference.slice(1);
      const content = responses.at(responsePointer).content as Record<string, unknown> | undefined;
      if (!content)
        return isAbsent(body) ? [] : [`(response): ${status} response of ${method.toUpperCase()} ${found.template} has no content`];
      if ("text/plain" in content) return !isAbsent(body) && Number.isInteger(Number(body)) ? [] : ["(response): must be an integer count"];
      const schemaPointer = `${responsePointer}/content/${escapePointer("application/json")}/schema`;
      const deltaCollection = DELTA_PATCHES[`${found.method.toUpperCase()} ${normalizeTemplate(found.template)}`];
      if (status < 300 && deltaCollection !== undefined)
        return unique(responses.validateDeltaResponse(schemaPointer, deltaCollection, body));
      return unique(responses.validate(schemaPointer, body));
    },
  };
}

/** One translated copy of the spec registered with its own ajv instance; requests and responses differ in leniency. */
class CompiledDocument {
  private readonly ajv: Ajv;
  private readonly id: string;
  private readonly translated: JsonObject;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    document: JsonObject,
    version: Version,
    private readonly purpose: "request" | "response",
  ) {
    this.id = `https://graph-spec.local/${version}/${purpose}.json`;
    this.translated = translate({ paths: document.paths, components: document.components }, purpose) as JsonObject;
    relaxInnerErrorDate(this.translated);
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...this.translated, $id: this.id });
  }

  /** Validates against the schema at a JSON pointer into the translated document. */
  validate(schemaPointer: string, body: unknown, withDeltaCollections = false): string[] {
    const schema = withDeltaCollections ? this.withDeltaCollections(schemaPointer) : { $ref: `${this.id}#${encodePointer(schemaPointer)}` };
    return this.run(`${schemaPointer}|${withDeltaCollections}`, schema, body);
  }

  /** The documented PATCH answer: the delta items echoed (as `value` or `<name>@delta`), each an artifact or a per-item failure. */
  validateDeltaResponse(schemaPointer: string, collection: string, body: unknown): string[] {
    const sessionRef = { $ref: `${this.id}#${encodePointer(schemaPointer)}` };
    const itemsRef = { $ref: `${this.id}#${encodePointer(this.collectionItemsPointer(schemaPointer, collection))}` };
    const deltaItem = {
      if: { type: "object", required: ["@Core.DataModificationException"] },
      then: {
        properties: {
          "@Core.DataModificationException": {
            type: "object",
            properties: {
              info: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } },
              failedOperation: { type: "string" },
              responseCode: { type: "integer" },
            },
          },
        },
      },
      else: itemsRef,
    };
    const deltaArray = { type: "array", items: deltaItem };
    const schema = { allOf: [sessionRef, { properties: { value: deltaArray, [`${collection}@delta`]: deltaArray } }] };
    return this.run(`${schemaPointer}|${collection}|delta-response`, schema, body);
  }

  /** The translated node at a JSON pointer. */
  at(jsonPointer: string): JsonObject {
    let node: unknown = this.translated;
    for (const part of jsonPointer.split("/").slice(1)) node = (node as JsonObject)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return node as JsonObject;
  }

  /** Follows `$ref` and merges `allOf` parts, so inherited properties appear in one map. */
  resolve(schema: JsonObject | undefined): { title?: string; properties: Record<string, JsonObject> } {
    if (!schema) return { properties: {} };
    if (typeof schema.$ref === "string") return this.resolve(this.at(schema.$ref.slice(1)));
    const merged: { title?: string; properties: Record<string, JsonObject> } = { properties: {} };
    // A nullable reference is `anyOf: [$ref, {type: null}]`: its properties are the reference's.
    for (const part of [...((schema.allOf as JsonObject[] | undefined) ?? []), ...((schema.anyOf as JsonObject[] | undefined) ?? [])]) {
      const resolved = this.resolve(part);
      Object.assign(merged.properties, resolved.properties);
      merged.title = resolved.title ?? merged.title;
    }
    Object.assign(merged.properties, (schema.properties as Record<string, JsonObject> | undefined) ?? {});
    if (typeof schema.title === "string") merged.title = schema.title;
    return merged;
  }

  /** Items schema of an array property (or of its nullable wrapper). */
  itemsOf(property: JsonObject | undefined): JsonObject | undefined {
    if (!property) return undefined;
    if (property.items) return property.items as JsonObject;
    const variants = (property.anyOf as JsonObject[] | undefined) ?? [];
    return variants.map((variant) => this.itemsOf(variant)).find((items) => items !== undefined);
  }

  /** For operations the docs don't describe: every spec property is writable unless marked readOnly. */
  writableBySpec(schema: { properties: Record<string, JsonObject> }): WriteRule {
    const fields = Object.entries(schema.properties).filter(([, property]) => property.readOnly !== true);
    return object(Object.fromEntries(fields.map(([name]) => [name, value])));
  }

  private withDeltaCollections(schemaPointer: string): JsonObject {
    const { properties } = this.resolve(this.at(schemaPointer));
    const deltas = Object.keys(properties)
      .filter((name) => this.itemsOf(properties[name]) !== undefined)
      .map((name) => [
        `${name}@delta`,
        { type: "array", items: { $ref: `${this.id}#${encodePointer(this.collectionItemsPointer(schemaPointer, name))}` } },
      ]);
    return { allOf: [{ $ref: `${this.id}#${encodePointer(schemaPointer)}` }, { properties: Object.fromEntries(deltas) }] };
  }

  /** Pointer to the items schema of a collection property, following the schema's `$ref`s and `allOf`s. */
  private collectionItemsPointer(schemaPointer: string, collection: string): string {
    const search = (at: string): string | undefined => {
      const node = this.at(at);
      if (typeof node.$ref === "string") return search(node.$ref.slice(1));
      const properties = node.properties as Record<string, JsonObject> | undefined;
      if (properties?.[collection]) {
        const property = properties[collection];
        const base = `${at}/properties/${escapePointer(collection)}`;
        if (property.items) return `${base}/items`;
        const index = ((property.anyOf as JsonObject[] | undefined) ?? []).findIndex((variant) => variant.items !== undefined);
        if (index >= 0) return `${base}/anyOf/${index}/items`;
      }
      const parts = (node.allOf as JsonObject[] | undefined) ?? [];
      return parts.map((_, i) => search(`${at}/allOf/${i}`)).find((found) => found !== undefined);
    };
    const found = search(schemaPointer);
    if (!found) throw new Error(`OpenAPI document has no collection '${collection}' under ${schemaPointer}`);
    return found;
  }

  private run(cacheKey: string, schema: JsonObject, body: unknown): string[] {
    let validateFn = this.compiled.get(cacheKey);
    if (!validateFn) {
      validateFn = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validateFn);
    }
    if (validateFn(body)) return [];
    return describeErrors(validateFn.errors ?? [], this.purpose);
  }
}

/** Walks a request body against the documented writable tree; OData instance annotations ("@…") are always allowed. */
function checkWritable(
  body: unknown,
  rule: WriteRule,
  spec: { title?: string; properties: Record<string, JsonObject> } | undefined,
  document: CompiledDocument,
  path: string,
  problems: string[],
): void {
  if (rule.kind === "notImplemented") {
    if (!(Array.isArray(body) && body.length === 0)) problems.push(`${path}: is not implemented by the service (documented: don't use)`);
    return;
  }
  if (rule.kind === "value") {
    if (rule.type === "string" && body !== undefined && body !== null && typeof body !== "string")
      problems.push(`${path || "(body)"}: must be string`);
    return;
  }
  if (rule.kind === "array" || rule.kind === "delta") {
    if (!Array.isArray(body)) return;
    body.forEach((item, index) => {
      const itemRule = rule.kind === "delta" ? (isPlainObject(item) && "@removed" in item ? rule.remove : rule.add) : rule.items;
      checkWritable(item, itemRule, spec, document, `${path}[${index}]`, problems);
    });
    return;
  }
  if (!isPlainObject(body)) return;
  for (const [key, child] of Object.entries(body)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.startsWith("@")) continue;
    const specProperty = spec?.properties[key];
    const childRule = rule.fields[key];
    if (childRule) {
      // "<collection>@delta" carries items of <collection>.
      const ownSpec = spec?.properties[key.replace(/@delta$/, "")];
      const childSpec = childRule.kind === "object" ? ownSpec : document.itemsOf(ownSpec);
      checkWritable(child, childRule, childSpec ? document.resolve(childSpec) : undefined, document, childPath, problems);
    } else if (specProperty) {
      problems.push(`${childPath}: is read-only`);
    } else {
      problems.push(`${childPath}: is not a property of ${spec?.title ?? (path ? "this object" : "the request body")}`);
    }
  }
}

/** Finds the spec template for a normalized path; literal segments beat parameters. */
function matchTemplate(templates: { template: string; segments: string[] }[], path: string): string | undefined {
  const segments = path.split("/").slice(1);
  let best: { template: string; literals: number } | undefined;
  for (const candidate of templates) {
    if (candidate.segments.length !== segments.length) continue;
    let literals = 0;
    const matches = candidate.segments.every((segment, i) => {
      if (segment === "{}") return segments[i]!.length > 0;
      literals += 1;
      return segments[i] === segment;
    });
    if (matches && (!best || literals > best.literals)) best = { template: candidate.template, literals };
  }
  return best?.template;
}

/** Renders ajv errors as "<dot path>: <message>", dropping the noise of nullable wrappers and of patterns that repeat a format. */
function describeErrors(errors: ErrorObject[], purpose: "request" | "response"): string[] {
  const hasFormatError = (path: string) => errors.some((e) => e.keyword === "format" && e.instancePath === path);
  const meaningful = errors.filter(
    (e) =>
      !["anyOf", "if"].includes(e.keyword) &&
      !(e.keyword === "type" && e.params.type === "null") &&
      !(e.keyword === "pattern" && hasFormatError(e.instancePath)),
  );
  return (meaningful.length > 0 ? meaningful : errors).map((e) => {
    const where = toDotPath(e.instancePath) || (purpose === "request" ? "(body)" : "(response)");
    return `${where}: ${describeError(e)}`;
  });
}

function describeError(error: ErrorObject): string {
  if (error.keyword === "enum") {
    return `must be one of ${JSON.stringify((error.params.allowedValues as unknown[]).filter((v) => v !== null))}`;
  }
  if (error.keyword === "type") {
    const types = ([] as string[]).concat(error.params.type as string | string[]).filter((t) => t !== "null");
    return `must be ${types.join(" or ")}`;
  }
  return error.message ?? error.keyword;
}

/** "/siteRestoreArtifacts/0/restorePoint/id" -> "siteRestoreArtifacts[0].restorePoint.id". */
function toDotPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((dotted, part) => (/^\d+$/.test(part) ? `${dotted}[${part}]` : dotted ? `${dotted}.${part}` : part), "");
}

/** Walks up from this file to the package root, the directory holding `graph-spec/` (works from emulator/ and dist/emulator/). */
function findPackageRoot(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, "graph-spec"))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`graph-spec/ not found above ${__dirname}`);
    directory = parent;
  }
  return directory;
}

function pointer(...parts: string[]): string {
  return parts.map((part) => `/${escapePointer(part)}`).join("");
}

function escapePointer(part: string): string {
  return part.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A JSON pointer as a URI fragment: each segment percent-encoded (path keys hold "{", "$"). */
function encodePointer(jsonPointer: string): string {
  return jsonPointer.split("/").map(encodeURIComponent).join("/");
}

function isPlainObject(node: unknown): node is JsonObject {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

function isAbsent(body: unknown): boolean {
  return body === undefined || body === null || body === "";
}

/** No body, or `{}` (which some clients send with bodiless actions such as activate). */
function isEmptyBody(body: unknown): boolean {
  return isAbsent(body) || (isPlainObject(body) && Object.keys(body).length === 0);
}

function unique(problems: string[]): string[] {
  return [...new Set(problems)];
}
