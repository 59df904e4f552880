/** Translating the OpenAPI documents' schema idioms into JSON Schema that ajv understands. */

type JsonObject = { [key: string]: unknown };

/**
 * Rewrites the OpenAPI schema idioms into JSON Schema ajv understands (listed in openapi.ts). For
 * responses, bare `$ref` properties may also be `null`, which Graph sends for unset complex
 * properties (e.g. `"error": null`).
 */
export function translate(node: unknown, purpose: "request" | "response"): unknown {
  if (Array.isArray(node)) return node.map((item) => translate(item, purpose));
  if (!isPlainObject(node)) return node;
  if (typeof node.$ref === "string" && Object.keys(node).length > 1) {
    // OpenAPI 3.1 allows keywords beside a $ref; draft-07 ajv would not apply them, allOf does.
    const { $ref, ...siblings } = node;
    return translate({ ...siblings, allOf: [{ $ref }, ...((siblings.allOf as unknown[] | undefined) ?? [])] }, purpose);
  }
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === "nullable") continue;
    if (key === "additionalProperties") {
      result[key] = true;
    } else if (key === "required" && Array.isArray(child)) {
      const required = child.filter((name) => name !== "@odata.type");
      if (required.length > 0) result[key] = required;
    } else if (key === "anyOf" && Array.isArray(child)) {
      result[key] = child.map((variant) => (isNullPlaceholder(variant) ? { type: "null" } : translate(variant, purpose)));
    } else if (key === "properties" && isPlainObject(child) && purpose === "response") {
      result[key] = Object.fromEntries(
        Object.entries(child).map(([name, property]) => [
          name,
          isBareRef(property) ? { anyOf: [property, { type: "null" }] } : translate(property, purpose),
        ]),
      );
    } else {
      result[key] = translate(child, purpose);
    }
  }
  if (node.nullable === true) {
    if (typeof result.type === "string") result.type = [result.type, "null"];
    else return { anyOf: [result, { type: "null" }] };
    if (Array.isArray(result.enum)) result.enum = [...result.enum, null];
  }
  return result;
}

/**
 * Graph writes `innerError.date` without a zone or fraction (`2024-05-21T04:47:52`, as the error
 * pages of the docs show it); the generated v1.0 document types it as a zoned date-time. Docs win.
 */
export function relaxInnerErrorDate(translated: JsonObject): void {
  const schemas = (translated.components as JsonObject | undefined)?.schemas as Record<string, JsonObject> | undefined;
  const date = (schemas?.["microsoft.graph.ODataErrors.InnerError"]?.properties as Record<string, JsonObject> | undefined)?.date;
  if (!date) return;
  delete date.format;
  delete date.pattern;
}

/** The generator's way to make a `$ref` nullable: `anyOf: [$ref, {type: object, nullable: true}]`. */
function isNullPlaceholder(node: unknown): boolean {
  if (!isPlainObject(node) || node.nullable !== true || node.type !== "object") return false;
  return Object.keys(node).every((key) => ["type", "nullable", "description"].includes(key));
}

function isBareRef(node: unknown): boolean {
  return isPlainObject(node) && typeof node.$ref === "string" && Object.keys(node).length === 1;
}

function isPlainObject(node: unknown): node is JsonObject {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}
