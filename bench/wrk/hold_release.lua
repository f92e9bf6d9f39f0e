-- Hold + release pairs (issue #13): POST /api/v1/holds of one 30-minute slot at a random start of HF_STAFF,
-- then DELETE /api/v1/holds/{holdId} with its Hold-Token; then the next pair. A refused hold (409: another
-- connection holds that time) is counted and followed by a new hold. Each hold has its own clientId and
-- Idempotency-Key. A pair per second is a 204 release.
package.path = os.getenv("HF_WRK_DIR") .. "/?.lua;" .. package.path
local hf = require("common")

hf.holds_then("release", hf.release_request)
