/**
 * The footprint baseline: the straightforward dynamic provider, whose methods close over a zod
 * schema and a Microsoft Graph client made at module level. Pulumi serializes everything a provider
 * captures into every resource's `__provider`; this is what the shipped provider avoids by requiring
 * its engine inside each method. It is only serialized, never run against Graph.
 */
import * as pulumi from "@pulumi/pulumi";
import { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";

const inputsSchema = z.strictObject({
  siteRestoreArtifacts: z
    .array(z.strictObject({ restorePointId: z.string().min(1) }))
    .min(1)
    .max(1000),
  destinationType: z.enum(["new", "inPlace"]).default("new"),
  activate: z.boolean().default(false),
});

const graph = Client.init({
  authProvider: (done) => done(null, process.env.M365_BACKUP_ACCESS_TOKEN ?? ""),
  baseUrl: process.env.M365_BACKUP_GRAPH_ENDPOINT ?? "https://graph.microsoft.com",
});

const SESSIONS = "/solutions/backupRestore/sharePointRestoreSessions";

const baselineProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const parsed = inputsSchema.safeParse(news);
    return parsed.success
      ? { inputs: parsed.data }
      : { inputs: news, failures: parsed.error.issues.map((i) => ({ property: i.path.join("."), reason: i.message })) };
  },
  async create(inputs) {
    const parsed = inputsSchema.parse(inputs);
    const session = await graph.api(SESSIONS).post({
      siteRestoreArtifacts: parsed.siteRestoreArtifacts.map((a) => ({
        restorePoint: { id: a.restorePointId },
        destinationType: parsed.destinationType,
      })),
    });
    return { id: session.id, outs: { ...parsed, status: session.status } };
  },
  async read(id, props) {
    const session = await graph.api(`/solutions/backupRestore/restoreSessions/${id}`).get();
    return { id, props: { ...props, status: session.status } };
  },
  async delete(id) {
    await graph.api(`/solutions/backupRestore/restoreSessions/${id}`).delete();
  },
};

/** A restore session resource built on the capturing baseline provider. */
export class BaselineSession extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super(baselineProvider, name, args, opts, "m365-backup-baseline", "SharePointRestoreSession");
  }
}
