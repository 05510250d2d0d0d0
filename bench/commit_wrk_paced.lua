-- wrk script for bench/commit.py's paced run: the load of commit_wrk.lua, except that each connection waits
-- PAUSE_MS after an answer before it sends its next commit, as a learner reads a slide between commits.
--   wrk -t2 -c50 -d10s -s bench/commit_wrk_paced.lua http://127.0.0.1:PORT -- LEARNERS BODIES 2 PAUSE_MS
-- With C connections the load comes to C / (PAUSE + answer time) commits per second: it measures the answer
-- time at about the rate a saturating run only reaches with every connection queued.

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "commit_wrk.lua")

local unpaced_init = init

function init(args)
  unpaced_init(args)
  pause_ms = tonumber(args[4]) or 0
end

-- wrk calls delay() before each request when the script defines it (checked once, as the script loads).
function delay()
  return pause_ms
end
