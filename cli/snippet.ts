/**
 * `m365-backup snippet`: the chosen restore points as a TypeScript module that a Pulumi program
 * imports, one typed array per workload (`siteRestoreArtifacts`, `driveRestoreArtifacts`,
 * `mailboxRestoreArtifacts`), ready for the restore session's argument of the same name.
 */
import type { RestorePointInfo } from "../provider/functions/types";
import { WORKLOADS } from "../provider/workloads";
import type { ResolvedTarget } from "./targets";

/** A target and the restore point found for it. */
export interface Found {
  target: ResolvedTarget;
  point: RestorePointInfo;
}

/** The module's text; `choice` says how the points were chosen, for the header comment. */
export function renderSnippet(found: readonly Found[], choice: string): string {
  const blocks = WORKLOADS.flatMap((workload) => {
    const mine = found.filter((f) => f.target.workload === workload);
    if (mine.length === 0) return [];
    const property = workload.restoreSession.artifacts;
    const argsType = `${property[0]!.toUpperCase()}${property.slice(1, -1)}Args`;
    const entries = mine.map(
      ({ target, point }) =>
        `  { restorePointId: ${JSON.stringify(point.id)} }, // ${comment(target.label)}, taken ${comment(point.protectionDateTime ?? "at an unknown time")}`,
    );
    return [{ argsType, text: `export const ${property}: ${argsType}[] = [\n${entries.join("\n")}\n];\n` }];
  });
  const imports = `import type { ${blocks.map((b) => b.argsType).join(", ")} } from "pulumi-m365-backup";\n`;
  return `// Restore points found by \`m365-backup snippet\`: ${comment(choice)}.\n${imports}\n${blocks.map((b) => b.text).join("\n")}`;
}

/** Text safe inside a `//` comment: one line. */
function comment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
