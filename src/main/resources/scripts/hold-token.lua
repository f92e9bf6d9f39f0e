-- Not a script of its own: the store puts this text in front of the scripts that check a presented token against a
-- hold's record (hold-release.lua, hold-extend.lua, hold-record-take.lua, hold-record-extend.lua).
-- A record keeps its token in one of two forms (RecordTokens): a token of HoldTokens' shape, whose payload
-- "v1|<holdId>|<clientId>|<createdAt>|<items>" is the record's own fields, as its HMAC alone (field mac), so that
-- every value stays within hash-max-listpack-value and Redis keeps the record as a listpack; any other token whole
-- (field token), as records written by earlier versions do. The store sends a presented token whole, and as its
-- payload past "v1|<holdId>|" (the claim) with its HMAC, both '' when it has not that shape: comparing these bytes
-- with the record's is comparing the token with the one the record was written from.

-- Whether the presented token is the record's: token, mac, clientId, createdAt, items are the record's fields
-- (false where absent, as HMGET gives them); presented, claim, presentedMac what the store sent.
local function isRecordsToken(token, mac, clientId, createdAt, items, presented, claim, presentedMac)
  if token then
    return token == presented
  end
  if not mac or not clientId or not createdAt or not items or not presentedMac or presentedMac == '' then
    return false
  end
  return mac == presentedMac and claim == clientId .. '|' .. createdAt .. '|' .. items
end

