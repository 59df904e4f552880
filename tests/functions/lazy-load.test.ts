/**
 * A program that only declares resources loads no Graph client: the lookup functions load it (the
 * Microsoft Graph SDK, `@azure/identity`, zod) on their first call only. Each program runs in a
 * fresh Node process under Pulumi's mocks, which then lists the packages in `require.cache`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../support/program-dir";

const HEAVY = ["@microsoft/microsoft-graph-client", "@azure/identity", "zod"];

// argv: the package's dist/provider, then "resources" or "function".
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const [packageDir, mode] = process.argv.slice(1);
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "p", "s", false);
// Nothing listens there: the lookup's request fails at once and, with this budget, is not retried for long.
pulumi.runtime.setAllConfig({
  "m365-backup:graphEndpoint": "https://127.0.0.1:9",
  "m365-backup:accessToken": "token",
  "m365-backup:retryBudgetSeconds": "0.2",
});
const m365 = require(packageDir);
new m365.SharePointRestoreSession("sites", { siteRestoreArtifacts: [{ restorePointId: "rp-1" }] });
new m365.OneDriveRestoreSession("drives", { driveRestoreArtifacts: [{ email: "adele@contoso.com" }] });
new m365.ExchangeRestoreSession("mailboxes", { mailboxRestoreArtifacts: [{ restorePointId: "rp-2" }] });
// The first call loads the client before it sends anything, which is all this program looks at.
if (mode === "function") m365.getBackupServiceStatus().catch(() => undefined);
const loaded = new Set();
for (const file of Object.keys(require.cache)) {
  const match = /node_modules\\/((@[^/]+\\/)?[^/]+)\\//.exec(file);
  if (match) loaded.add(match[1]);
}
process.stdout.write(JSON.stringify([...loaded].sort()));
`;

async function packagesLoaded(mode: "resources" | "function"): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", PROGRAM, path.join(repoRoot, "dist", "provider"), mode], {
    cwd: repoRoot,
  });
  return JSON.parse(stdout) as string[];
}

test("declaring resources loads none of the Graph client's packages", async () => {
  const loaded = await packagesLoaded("resources");
  expect(loaded).toContain("@pulumi/pulumi");
  expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
});

test("the first lookup loads the Graph client (so the test above can fail)", async () => {
  const loaded = await packagesLoaded("function");
  expect(loaded.filter((name) => HEAVY.includes(name))).toEqual(["@microsoft/microsoft-graph-client", "zod"]);
});
