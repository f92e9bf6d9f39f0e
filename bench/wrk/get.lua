-- GET scenarios of scripts/bench: the bare app, Holdfast's no-op (liveness), cached availability, unchanged poll.
-- HF_PATHS: comma-separated paths, sent in turn (one path is the same request every time).
package.path = os.getenv("HF_WRK_DIR") .. "/?.lua;" .. package.path
local hf = require("common")

local paths
local next_path = 0

function init(args)
  hf.start_thread()
  paths = {}
  for _, path in ipairs(hf.list("HF_PATHS")) do
    paths[#paths + 1] = wrk.format("GET", path, { ["X-Forwarded-For"] = hf.client_address() })
  end
  next_path = math.random(0, #paths - 1)
end

function request()
  next_path = next_path % #paths + 1
  return hf.sent("read", paths[next_path])
end

function response(status, headers, body)
  hf.answered(status, body)
end
