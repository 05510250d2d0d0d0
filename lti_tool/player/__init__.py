"""The learner's player (issue 4): scorm-again in the browser, commits checked and stored on the server,
attempts, unit results with rollup across SCOs, and package content served with a per-launch grant."""
