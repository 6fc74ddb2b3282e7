/**
 * The Redis board's commands, each one Lua script so that it is atomic and every instance
 * reads time from Redis (TIME), never from its own clock. A page is one hash
 * (connection -> entry JSON with `expiresAt` and `since` in ms); the hash itself expires a
 * ttl after its last put, so a page nobody is on leaves nothing behind.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS[1] page hash; ARGV: connection, report JSON, ttl ms, mode, channel, page id.
 * Returns 'changed' (published), 'same' (only the expiry moved) or 'missing'.
 */
export const PUT = `${NOW}
local ttl = tonumber(ARGV[3])
local entry = cjson.decode(ARGV[2])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local old = nil
if raw then
  old = cjson.decode(raw)
  if old.expiresAt <= now then old = nil end
end
if ARGV[4] == 'update' and (old == nil or old.userId ~= entry.userId) then return 'missing' end
local same = old ~= nil and old.activity == entry.activity and old.postId == entry.postId
if same then entry.since = old.since else entry.since = now end
entry.expiresAt = now + ttl
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
redis.call('PEXPIRE', KEYS[1], ttl)
if same then return 'same' end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 'changed'
`;

/** KEYS[1] page hash; ARGV: connection, channel, page id. Publishes when there was an entry. */
export const REMOVE = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return 1
`;

/**
 * KEYS[1] page hash; ARGV: channel, page id. Drops expired entries (publishing when any
 * went) and returns the live ones as JSON strings.
 */
export const LIST = `${NOW}
local all = redis.call('HGETALL', KEYS[1])
local live = {}
local dropped = false
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if entry.expiresAt <= now then
    redis.call('HDEL', KEYS[1], all[i])
    dropped = true
  else
    table.insert(live, all[i + 1])
  end
end
if dropped then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return live
`;
