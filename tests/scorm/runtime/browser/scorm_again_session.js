// Plays one SCO session in scorm-again (the browser run-time the player uses) and prints its commit body.
// stdin: {"version": "1.2"|"2004", "seed": {...}, "calls": [[element, value], ...], "format": "json"|"flattened",
//         "terminate": bool}; stdout: {"commit": <body scorm-again would POST>, "errors": [[element, code], ...]}
"use strict";
const path = require("path");
global.window = global;
require(path.resolve(process.argv[2], "scorm-again/dist/scorm-again.js"));

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const is12 = input.version === "1.2";
const api = new (is12 ? global.Scorm12API : global.Scorm2004API)({
  logLevel: 5,
  dataCommitFormat: input.format || "json",
  autocommit: false,
});
api.loadFromJSON(input.seed || {}, "");
is12 ? api.LMSInitialize("") : api.Initialize("");
const errors = [];
for (const [element, value] of input.calls || []) {
  const ok = is12 ? api.LMSSetValue(element, value) : api.SetValue(element, value);
  if (ok !== "true") errors.push([element, String(is12 ? api.LMSGetLastError() : api.GetLastError())]);
}
const commit = api.renderCommitCMI(Boolean(input.terminate), Boolean(input.terminate));
process.stdout.write(JSON.stringify({ commit, errors }));
