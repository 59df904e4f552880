/** GET .../sharePointRestoreSessions/{id}/siteRestoreArtifacts, paged with `@odata.nextLink`. */
import { jsonResponse, type RouteHandler } from "../context";
import { page } from "../paging";
import { sessionProgress } from "../progress";
import { artifactView, odataContext } from "../views";
import { sessionFromPath } from "./sessions";

/** Lists a session's site artifacts with their derived progress. */
export const listArtifacts: RouteHandler = (request, context) => {
  const session = sessionFromPath(context);
  const progress = sessionProgress(session, context.tenant.store, context.nowMs);
  const views = session.artifacts.map((artifact, i) => artifactView(artifact, progress.artifacts[i]!, context));
  return jsonResponse(
    200,
    page(
      request,
      context,
      views,
      odataContext(context, `solutions/backupRestore/sharePointRestoreSessions('${session.id}')/siteRestoreArtifacts`),
    ),
  );
};
