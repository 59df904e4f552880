/** GET .../<workload>RestoreSessions/{id}/<artifacts> (and the granular list), paged with `@odata.nextLink`. */
import { jsonResponse, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { page } from "../paging";
import { sessionProgress } from "../progress";
import { odataContext } from "../views/common";
import { artifactView } from "../views/sessions";
import { sessionFromPath } from "./session-lookup";

/** Lists a session's standard artifacts with their derived progress (none for a granular session). */
export const listArtifacts: RouteHandler = (request, context) => listOf(request, context, false);

/** Lists a session's granular artifacts (none for a standard session). */
export const listGranularArtifacts: RouteHandler = (request, context) => listOf(request, context, true);

function listOf(request: Request, context: RouteContext, granular: boolean): Response {
  const workload = routeWorkload(context);
  const session = sessionFromPath(context);
  const progress = sessionProgress(session, context.tenant.store, context.nowMs);
  const views =
    (session.granular ?? false) === granular
      ? session.artifacts.map((artifact, i) => artifactView(session, artifact, progress.artifacts[i]!, context))
      : [];
  const collection = granular ? workload.restoreSession.granularArtifacts! : workload.restoreSession.artifacts;
  const fragment = `solutions/backupRestore/${workload.restoreSession.collection}('${session.id}')/${collection}`;
  return jsonResponse(200, page(request, context, views, odataContext(context, fragment)));
}
