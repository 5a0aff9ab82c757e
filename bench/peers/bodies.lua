-- wrk script for bench/compare: POSTs the request bodies of a file (one per line) in turn, each
-- thread starting at a different line, and prints one parseable result line.
--
--   BENCH_BODIES=file BENCH_PATH=/graphql BENCH_TYPE=application/json BENCH_ACCEPT=... \
--   BENCH_CONNECTIONS=n wrk -c n -s bodies.lua URL
--
-- Errors counted: any status other than 200, and any body with a GraphQL "errors" member.
--
-- Latency. wrk corrects the latencies it reports for "coordinated omission" (`stats_correct`
-- in wrk.c): for every response slower than the run's mean interval it adds made-up samples, as
-- if requests had kept arriving on a fixed schedule. With one connection and a tail of slow
-- queries this about doubles the mean (measured: wrk 2.32 ms, server 1.01 ms, wall clock per
-- request 1.15 ms), and it makes a closed-loop run incomparable with a peer timed in a loop.
-- So the mean here is measured, not wrk's: when each thread drives one connection, every request
-- is timed from the moment it is handed to wrk to its complete response (LuaJIT's ffi and
-- CLOCK_MONOTONIC), and mean, p50 and p99 come from those times (latency=measured). With more
-- connections per thread responses cannot be matched to requests; the mean is then Little's law
-- for a closed loop (connections x duration / requests) and the percentiles are wrk's
-- (latency=wrk).

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

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
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "")

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  latencies = {}
  next_body = (id * 7919) % #bodies
end

function request()
  next_body = next_body % #bodies + 1
  local formatted = wrk.format("POST", path, headers, bodies[next_body])
  sent_us = now_us()
  return formatted
end

function response(status, headers, body)
  latencies[#latencies + 1] = now_us() - sent_us
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write(string.format("error (status %d): %s\n", status, body:sub(1, 300)))
    end
  end
end

local function percentile(sorted, p)
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

function done(summary, latency, requests)
  local one_each = connections == #threads
  local total_errors = 0
  local measured = {}
  for _, thread in ipairs(threads) do
    total_errors = total_errors + thread:get("errors")
    if one_each then
      for _, us in ipairs(thread:get("latencies")) do
        measured[#measured + 1] = us
      end
    end
  end
  local seconds = summary.duration / 1e6
  local mean_us, p50_us, p99_us, source
  if one_each and #measured > 0 then
    table.sort(measured)
    local sum = 0
    for _, us in ipairs(measured) do
      sum = sum + us
    end
    mean_us, p50_us, p99_us = sum / #measured, percentile(measured, 50), percentile(measured, 99)
    source = "measured"
  else
    mean_us = (connections or #threads) * summary.duration / math.max(summary.requests, 1)
    p50_us, p99_us, source = latency:percentile(50), latency:percentile(99), "wrk"
  end
  io.write(string.format(
    "result rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f errors=%d socket_errors=%d latency=%s wrk_mean_ms=%.3f\n",
    summary.requests / seconds, mean_us / 1000, p50_us / 1000, p99_us / 1000, total_errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    source, latency.mean / 1000))
end
