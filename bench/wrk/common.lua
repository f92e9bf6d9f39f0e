-- Shared by the wrk scenarios of scripts/bench (issue #13). wrk runs one Lua state per thread; everything below
-- that keeps state keeps it per thread, and done() (in the main state) merges the threads' counters.
--
-- Per-request timing by kind (hold, release, book, read): wrk's own latency histogram mixes every request of a
-- run, so the scripts also time each request themselves (CLOCK_MONOTONIC through LuaJIT's ffi). A response is
-- taken to answer the request the thread generated last, which is exact only with one connection per thread (wrk
-- asks for the next request of a connection only after its response): scripts/bench runs the stateful scenarios
-- so (-t N -c N) and says so with HF_EXACT=1; only then are the per-kind percentiles recorded. (Matching responses
-- to a queue of requests in flight was off by one: wrk can ask for a request that it never sends.)
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } hf_timespec;
  int clock_gettime(int clock, hf_timespec *ts);
]]
local timespec = ffi.new("hf_timespec")

local M = {}

function M.now_us()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

function M.env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then
    if default == nil then error("wrk script needs the environment variable " .. name) end
    return default
  end
  return value
end

function M.list(name)
  local out = {}
  for item in string.gmatch(M.env(name), "[^,]+") do out[#out + 1] = item end
  return out
end

-- Per-thread state (globals of the thread's Lua state, read back by done() through thread:get).
counts = {}    -- "<kind> <status>" -> number of responses
-- "<kind>|<bucket>" -> number of responses (HF_EXACT only): a histogram of 1 % wide buckets of the latency in
-- microseconds, flat because wrk copies tables between states with thread:get, and it crashed (SIGSEGV) on large
-- nested ones.
latencies = {}
local LOG_STEP = math.log(1.01)
local last_kind, last_start = "unknown", 0
samples = {} -- "<kind> <status>" -> the first body of an unexpected answer (not 2xx, not 409), for the report
local exact = os.getenv("HF_EXACT") == "1"
local queue = {} -- follow-up requests (release, book) waiting for the thread's next free connection

function M.count(key)
  counts[key] = (counts[key] or 0) + 1
end

-- Remembers what was sent; the kind decides how its response is counted and timed.
function M.sent(kind, request)
  last_kind, last_start = kind, M.now_us()
  return request
end

-- The kind of the request this response answers, timed now (call once per response).
function M.answered(status, body)
  local kind = last_kind
  if exact then
    local key = kind .. "|" .. math.floor(math.log(math.max(M.now_us() - last_start, 1)) / LOG_STEP)
    latencies[key] = (latencies[key] or 0) + 1
  end
  local key = kind .. " " .. status
  M.count(key)
  if (status >= 300 and status ~= 409) and samples[key] == nil and body ~= nil then
    samples[key] = string.sub(body, 1, 300)
  end
  return kind
end

function M.enqueue(kind, request)
  queue[#queue + 1] = { kind, request }
end

function M.dequeue()
  if #queue == 0 then return nil end
  local item = table.remove(queue, 1)
  return M.sent(item[1], item[2])
end

-- Every request comes from another simulated customer's network: an X-Forwarded-For of its own (the server runs
-- with server.forward-headers-strategy=native, as behind a proxy), so that the per-address limits (120 holds a
-- minute, holdfast.hold.requests-per-address) see many customers, as on a real site, and not one client network
-- per wrk thread sending hundreds of holds a second (which they rightly refuse with 429). HF_NETWORK (default 0)
-- shifts the second octet, so that a run's clients are not the ones an earlier run in the same minute used.
local network = tonumber(os.getenv("HF_NETWORK") or "0")
local address_counter = 0
function M.client_address()
  address_counter = address_counter + 1
  local k = address_counter % 62500
  return string.format("10.%d.%d.%d", (network + tonumber(id or 0)) % 250, math.floor(k / 250), k % 250 + 1)
end

local uuid_counter = 0
function M.unique(prefix)
  uuid_counter = uuid_counter + 1
  return string.format("%s-%d-%d-%d", prefix, tonumber(id or 0), os.time(), uuid_counter)
end

-- An instant on the 30-minute grid of the bench location (UTC): one of HF_DAYS days from HF_BASE (epoch s of
-- the first day's midnight), HF_SLOTS slots from HF_FIRST_HOUR.
function M.random_start()
  local base = tonumber(M.env("HF_BASE"))
  local day = math.random(0, tonumber(M.env("HF_DAYS")) - 1)
  local slot = math.random(0, tonumber(M.env("HF_SLOTS")) - 1)
  local epoch = base + day * 86400 + tonumber(M.env("HF_FIRST_HOUR")) * 3600 + slot * 1800
  return os.date("!%Y-%m-%dT%H:%M:00+00:00", epoch)
end

function M.hold_request(staff, service, client_id)
  local body = string.format('{"clientId":"%s","staffId":%s,"serviceId":%s,"start":"%s"}', client_id, staff,
      service, M.random_start())
  return wrk.format("POST", "/api/v1/holds", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = M.unique("hold"),
    ["X-Forwarded-For"] = M.client_address(),
  }, body)
end

function M.hold_of(body)
  return string.match(body, '"holdId"%s*:%s*"([^"]+)"'), string.match(body, '"token"%s*:%s*"([^"]+)"')
end

function M.release_request(hold_id, token)
  return wrk.format("DELETE", "/api/v1/holds/" .. hold_id, {
    ["Hold-Token"] = token,
    ["X-Forwarded-For"] = M.client_address(),
  })
end

function M.book_request(hold_id, token)
  local body = string.format('{"holdId":"%s","holdToken":"%s","customer":{"name":"Bench Guest","email":"%s"}}',
      hold_id, token, M.env("HF_EMAIL"))
  return wrk.format("POST", "/api/v1/bookings", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = M.unique("book"),
    ["Authorization"] = "Bearer " .. M.env("HF_SESSION"),
    ["X-Forwarded-For"] = M.client_address(),
  }, body)
end

function M.start_thread()
  math.randomseed(tonumber(id or 0) * 7919 + os.time())
end

-- The hold scenarios (hold_release.lua, booking.lua, mixed.lua): each new hold is of a random staff member of
-- HF_STAFF for HF_SERVICE under its own clientId, and every granted hold (201) is followed by one more request.
local hold_staff, hold_service

-- Call from init(), in place of start_thread().
function M.start_holds()
  M.start_thread()
  hold_staff = M.list("HF_STAFF")
  hold_service = M.env("HF_SERVICE")
end

function M.new_hold()
  return M.sent("hold", M.hold_request(hold_staff[math.random(#hold_staff)], hold_service, M.unique("c")))
end

-- Call from response() (it counts and times the response, as answered()): queues follow_up(hold_id, token), of
-- kind `kind`, after a granted hold.
function M.answered_hold(status, body, kind, follow_up)
  if M.answered(status, body) == "hold" and status == 201 then
    M.enqueue(kind, follow_up(M.hold_of(body)))
  end
end

-- A whole scenario of holds and their follow-ups alone (hold_release.lua, booking.lua): defines wrk's init, request
-- and response.
function M.holds_then(kind, follow_up)
  function init(args)
    M.start_holds()
  end

  function request()
    return M.dequeue() or M.new_hold()
  end

  function response(status, headers, body)
    M.answered_hold(status, body, kind, follow_up)
  end
end

-- Main state: number the threads, then merge and write one JSON summary to HF_OUT.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

-- The p-th percentile (ms) of a histogram: {bucket = count}, total n; the bucket's upper bound.
local function percentile(histogram, n, p)
  local buckets = {}
  for bucket in pairs(histogram) do buckets[#buckets + 1] = bucket end
  table.sort(buckets)
  local rank, seen = math.max(1, math.ceil(n * p / 100)), 0
  for _, bucket in ipairs(buckets) do
    seen = seen + histogram[bucket]
    if seen >= rank then return math.exp((bucket + 1) * LOG_STEP) / 1000 end
  end
  return nil
end

local function json_number(value)
  if value == nil then return "null" end
  return string.format("%.3f", value)
end

function done(summary, latency, requests)
  local merged, by_kind, bodies = {}, {}, {}
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get("samples") or {}) do bodies[key] = value end
    for key, value in pairs(thread:get("counts") or {}) do merged[key] = (merged[key] or 0) + value end
    for key, count in pairs(thread:get("latencies") or {}) do
      local kind, bucket = string.match(key, "^(.*)|(-?%d+)$")
      local entry = by_kind[kind] or { n = 0, histogram = {} }
      bucket = tonumber(bucket)
      entry.histogram[bucket] = (entry.histogram[bucket] or 0) + count
      entry.n = entry.n + count
      by_kind[kind] = entry
    end
  end
  local seconds = summary.duration / 1000000
  local parts = {}
  parts[#parts + 1] = string.format('"requests":%d,"seconds":%.3f,"rps":%.1f', summary.requests, seconds,
      summary.requests / seconds)
  parts[#parts + 1] = string.format('"p50_ms":%s,"p99_ms":%s,"max_ms":%s', json_number(latency:percentile(50) / 1000),
      json_number(latency:percentile(99) / 1000), json_number(latency.max / 1000))
  parts[#parts + 1] = string.format('"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}',
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status)
  local c = {}
  for key, value in pairs(merged) do c[#c + 1] = string.format('"%s":%d', key, value) end
  parts[#parts + 1] = '"counts":{' .. table.concat(c, ",") .. '}'
  local k = {}
  for kind, entry in pairs(by_kind) do
    k[#k + 1] = string.format('"%s":{"n":%d,"p50_ms":%s,"p99_ms":%s}', kind, entry.n,
        json_number(percentile(entry.histogram, entry.n, 50)), json_number(percentile(entry.histogram, entry.n, 99)))
  end
  parts[#parts + 1] = '"kinds":{' .. table.concat(k, ",") .. '}'
  local b = {}
  for key, value in pairs(bodies) do
    b[#b + 1] = string.format('"%s":"%s"', key, (string.gsub(value, '[%c"\\]', " ")))
  end
  parts[#parts + 1] = '"unexpected":{' .. table.concat(b, ",") .. '}'
  local text = "{" .. table.concat(parts, ",") .. "}\n"
  local out = os.getenv("HF_OUT")
  if out ~= nil and out ~= "" then
    local file = assert(io.open(out, "w"))
    file:write(text)
    file:close()
  end
  io.write(text)
end

return M
