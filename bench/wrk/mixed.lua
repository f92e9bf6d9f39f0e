-- Mixed traffic (issue #13): 90 % of requests are reads (HF_READ_PATHS in turn: cached availability days and
-- unchanged polls, as a page open on a day sends them), 10 % writes: a hold of a random slot of HF_STAFF, then its
-- booking. A new request is a hold with probability 1/19, so that with every hold booked (two writes) the reads
-- are 18 of every 20 requests.
package.path = os.getenv("HF_WRK_DIR") .. "/?.lua;" .. package.path
local hf = require("common")

local reads
local next_read = 0

function init(args)
  hf.start_holds()
  reads = {}
  for _, path in ipairs(hf.list("HF_READ_PATHS")) do
    reads[#reads + 1] = wrk.format("GET", path, { ["X-Forwarded-For"] = hf.client_address() })
  end
end

function request()
  local queued = hf.dequeue()
  if queued then return queued end
  if math.random() >= 1 / 19 then
    next_read = next_read % #reads + 1
    return hf.sent("read", reads[next_read])
  end
  return hf.new_hold()
end

function response(status, headers, body)
  hf.answered_hold(status, body, "book", hf.book_request)
end
