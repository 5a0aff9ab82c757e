-- wrk script for bench/compare: POSTs the request bodies of a file (one per line) in turn, each
-- thread starting at a different line, and prints one parseable result line.
--
--   BENCH_BODIES=file BENCH_PATH=/graphql BENCH_TYPE=application/json BENCH_ACCEPT=... wrk -s bodies.lua URL
--
-- Errors counted: any status other than 200, and any body with a GraphQL "errors" member.

local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  if #line > 0 then
    table.insert(bodies, line)
  end
end
local path = os.getenv("BENCH_PATH") or "/"
local headers = { ["content-type"] = os.getenv("BENCH_TYPE") or "application/json" }
local accept = os.getenv("BENCH_ACCEPT")
if accept then
  headers["accept"] = accept
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  next_body = (id * 7919) % #bodies
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", path, headers, bodies[next_body])
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write(string.format("error (status %d): %s\n", status, body:sub(1, 300)))
    end
  end
end

function done(summary, latency, requests)
  local total_errors = 0
  for _, thread in ipairs(threads) do
    total_errors = total_errors + thread:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("result rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f errors=%d socket_errors=%d\n",
    summary.requests / seconds, latency.mean / 1000, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, total_errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
