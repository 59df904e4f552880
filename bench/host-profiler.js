// Preloaded into the provider host (NODE_OPTIONS=--require, since --cpu-prof is not allowed there) by
// `npm run bench`'s profiled run: samples the host's CPU from the moment it prints its port (its own
// start-up is the Pulumi host's) until the harness stops it, then writes a .cpuprofile into
// M365_BENCH_PROFILE_DIR.
"use strict";
/* global setImmediate */
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

const directory = process.env.M365_BENCH_PROFILE_DIR;
if (directory) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  const write = process.stdout.write.bind(process.stdout);
  let started = false;
  process.stdout.write = (...args) => {
    if (!started) {
      started = true;
      // Started once the port line is out, so the start itself is not charged to the host.
      setImmediate(() => session.post("Profiler.start"));
    }
    return write(...args);
  };
  process.on("SIGTERM", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error) {
        fs.mkdirSync(directory, { recursive: true });
        fs.writeFileSync(path.join(directory, `host-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
      }
      process.exit(0);
    });
  });
}
