/** Entry point the Pulumi CLI runs for the root project (Pulumi.yaml `main`). */
import { drill } from "./program";

module.exports = drill();
